// The compliance rule packs every synth runs (cdk-nag 3 through CDK's Validations): in bin/app.ts and in the infra tests.
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/** Register AwsSolutions and Serverless checks; findings must be fixed or acknowledged with a reason where they arise. */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}
