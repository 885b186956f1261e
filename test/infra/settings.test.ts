// Deployment settings: every missing setting named, placeholders only on request, and bin/app.ts refusing to synth without them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { DEFAULT_SES_MAX_SEND_RATE } from '../../lambdas/core/send-rate';
import { loadSettings, PLACEHOLDER_SETTINGS, SETTING_NAMES, SettingsError, type DeploySettings } from '../../lib/settings';

const ROOT = resolve(__dirname, '..', '..');
const REQUIRED = ['account', 'region', 'senderAddress', 'postalAddress', 'alarmEmail'];

const COMPLETE = {
  account: '210987654321',
  region: 'eu-central-1',
  senderAddress: 'Papertrend <Digest@News.Example.ORG>',
  postalAddress: 'Papertrend, 2 Example Road, Leeds',
  alarmEmail: 'ops@example.org',
};

/** loadSettings as bin/app.ts calls it: from an App's context (what `-c name=value` sets). */
function fromApp(context: Record<string, unknown>, env: Record<string, string> = {}): DeploySettings {
  const app = new App({ context });
  return loadSettings((name) => app.node.tryGetContext(name), env);
}

function problems(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error('expected a SettingsError');
}

describe('loadSettings', () => {
  it('names every missing required setting, one per line, and no optional one', () => {
    const message = problems(() => fromApp({}));
    const missing = message.split('\n').filter((line) => line.trim().startsWith('missing '));
    expect(missing.map((line) => line.trim().split(/[ :]/)[1])).toEqual(REQUIRED);
    expect(message).toMatch(/missing senderAddress: the From of every email/);
    expect(message).toContain('-c placeholders=true');
  });

  it('names invalid settings next to missing ones', () => {
    const message = problems(() => fromApp({ account: '12345', alarmEmail: 'not-an-address', sesMaxSendRate: '-1' }));
    expect(message).toContain('invalid account: an AWS account id is 12 digits');
    expect(message).toContain('invalid alarmEmail: an email address for the alarms');
    expect(message).toContain('invalid sesMaxSendRate: a positive number of emails per second');
    expect(message).toContain('missing region');
    expect(message).not.toContain('missing account');
  });

  it('reads complete settings from context, with defaults and the sending domain', () => {
    const settings = fromApp({ ...COMPLETE, sesMaxSendRate: '40' });
    expect(settings).toEqual({
      ...COMPLETE,
      mailFromSubdomain: 'bounce',
      sesMaxSendRate: 40,
      sendingDomain: 'news.example.org',
    });
    expect(fromApp(COMPLETE).sesMaxSendRate).toBe(DEFAULT_SES_MAX_SEND_RATE);
  });

  it("takes the account from the CLI's credentials but never the region (the CLI's fallback is us-east-1)", () => {
    const { account, region, ...rest } = COMPLETE;
    expect(fromApp({ ...rest, region }, { CDK_DEFAULT_ACCOUNT: account }).account).toBe(account);
    expect(problems(() => fromApp({ ...rest, account }, { CDK_DEFAULT_REGION: 'us-east-1' }))).toContain('missing region');
  });

  it('uses placeholders only with -c placeholders=true, and then always the placeholder account', () => {
    expect(problems(() => fromApp({ placeholders: 'false' }))).toContain('missing senderAddress');
    for (const placeholders of ['true', true]) {
      const settings = fromApp({ placeholders }, { CDK_DEFAULT_ACCOUNT: COMPLETE.account });
      expect(settings).toMatchObject({ ...PLACEHOLDER_SETTINGS, sendingDomain: 'papertrend.example' });
    }
    const mixed = fromApp({ placeholders: 'true', account: COMPLETE.account, senderAddress: COMPLETE.senderAddress });
    expect(mixed.account).toBe(PLACEHOLDER_SETTINGS.account);
    expect(mixed.senderAddress).toBe(COMPLETE.senderAddress);
  });

  it('checks the hosted zone settings together', () => {
    expect(problems(() => fromApp({ ...COMPLETE, hostedZoneId: 'Z0123456789ABC' }))).toContain(
      'invalid hostedZoneName: hostedZoneId and hostedZoneName go together',
    );
    expect(problems(() => fromApp({ ...COMPLETE, hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'other.example' }))).toContain(
      "invalid hostedZoneName: the sender address's domain must be in the hosted zone",
    );
    expect(fromApp({ ...COMPLETE, hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.org' }).hostedZoneName).toBe('example.org');
    expect(problems(() => fromApp({ ...COMPLETE, domainName: 'papertrend.example.org' }))).toContain(
      'invalid certificateArn: a domainName needs a certificateArn or a hosted zone',
    );
  });
});

describe('bin/app.ts', () => {
  it('refuses to synthesize without settings, naming each missing one, and writes no template', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'papertrend-synth-'));
    try {
      const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
        cwd: ROOT,
        encoding: 'utf8',
        // What the CDK CLI hands the app: the context (none) and where to write the assembly.
        env: { ...process.env, CDK_CONTEXT_JSON: '{}', CDK_OUTDIR: outdir, CDK_DEFAULT_ACCOUNT: '', CDK_DEFAULT_REGION: '' },
      });
      expect(run.status).toBe(1);
      for (const name of REQUIRED) expect(run.stderr).toContain(`missing ${name}:`);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace burying the names
      expect(() => readFileSync(join(outdir, 'manifest.json'))).toThrow();
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('README', () => {
  it('explains every setting in the deploy settings table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Settings'));
    for (const name of SETTING_NAMES) expect({ name, documented: section.includes(`| \`${name}\``) }).toEqual({ name, documented: true });
  });
});
