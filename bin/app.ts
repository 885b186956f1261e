// CDK entry: validated deployment settings -> DataStack (stateful) + AppStack (stateless), with the compliance checks.
import { App } from 'aws-cdk-lib';
import { AppStack } from '../lib/app-stack';
import { addComplianceChecks } from '../lib/checks';
import { DataStack } from '../lib/data-stack';
import { loadSettings, SettingsError, type DeploySettings } from '../lib/settings';

function settingsOrExit(app: App): DeploySettings {
  try {
    return loadSettings((name) => app.node.tryGetContext(name), process.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    // The message names every missing setting; a stack trace would only bury it.
    console.error(error.message);
    process.exit(1);
  }
}

const app = new App();
const settings = settingsOrExit(app);
addComplianceChecks(app);
const env = { account: settings.account, region: settings.region };

const data = new DataStack(app, 'PapertrendData', {
  env,
  settings,
  description: 'Papertrend: tables, signing keyring (retained), SES identity and configuration set',
});
new AppStack(app, 'PapertrendApp', {
  env,
  settings,
  tables: data.tables,
  tokenKeyring: data.tokenKeyring,
  ses: data.ses,
  description: 'Papertrend: functions, schedules, queue, API, alarms and dashboard',
});
