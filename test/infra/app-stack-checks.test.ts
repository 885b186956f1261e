// cdk-nag (AwsSolutions + Serverless, as addComplianceChecks registers them) finds nothing unacknowledged in the AppStack, and every acknowledgement says why.
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { addComplianceChecks } from '../../lib/checks';
import { buildAppStack, settingsWith, synthAppStack } from './app-stack.fixture';

/** Unacknowledged findings of both packs, as `rule at construct path` lines (cdk-nag 3 reports them as policy violations). */
function findings(scope: IConstruct): string[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack
      .validateScope(scope)
      .violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`)),
  );
}

/** Every acknowledgement recorded in the tree under `scope`: rule id and reason. */
function acknowledgements(scope: IConstruct): Array<{ id: string; reason: string }> {
  return scope.node
    .findAll()
    .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
    .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id, reason })));
}

describe('compliance checks', () => {
  it('see findings where there are some (so a clean report means something)', () => {
    const stack = new Stack(new App(), 'Scratch');
    new Queue(stack, 'Plain');
    expect(findings(stack)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-SQS3 /), expect.stringMatching(/^AwsSolutions-SQS4 /)]));
  });

  it.each([
    ['placeholder settings', settingsWith()],
    [
      'a custom domain in a hosted zone',
      settingsWith({ domainName: 'digest.papertrend.example', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'papertrend.example' }),
    ],
  ])('find nothing unacknowledged in the AppStack with %s', (_, settings) => {
    const { stack } = synthAppStack(settings);
    expect(findings(stack)).toEqual([]);
  });

  it('give every acknowledgement a reason of a sentence', () => {
    const { stack } = synthAppStack();
    const acks = acknowledgements(stack);
    expect(acks.length).toBeGreaterThan(5);
    for (const ack of acks) expect({ id: ack.id, long: ack.reason.length >= 40 }).toEqual({ id: ack.id, long: true });
  });

  it('acknowledge only findings that the packs would report', () => {
    const { stack } = synthAppStack();
    const acknowledged = new Set(acknowledgements(stack).map((ack) => ack.id.replace(/^annotation::/i, '')));
    // cdk-nag looks acknowledgements up under this metadata key; under another it sees none.
    const key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
    Object.defineProperty(Validations, 'ACKNOWLEDGED_RULES_METADATA_KEY', { value: 'none', configurable: true });
    let reported: Set<string>;
    try {
      reported = new Set(findings(stack).map((finding) => finding.split(' ')[0]!));
    } finally {
      Object.defineProperty(Validations, 'ACKNOWLEDGED_RULES_METADATA_KEY', { value: key, configurable: true });
    }
    expect([...acknowledged].filter((id) => !reported.has(id))).toEqual([]);
  });

  it('run as CDK validation plugins in synth, where they fail only on the stand-in data stack', () => {
    const { app } = buildAppStack();
    addComplianceChecks(app);
    let report = '';
    try {
      app.synth();
    } catch (error) {
      report = String(error);
    }
    // The stand-in tables and secret (not the DataStack that is deployed) lack backups and rotation.
    const paths = [...report.matchAll(/^\s+((?:App|Data)\/\S+)/gm)].map((match) => match[1]!);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !path.startsWith('Data/'))).toEqual([]);
  });
});
