// The synth report finds each function's bundle in a real cloud assembly by its asset and fails past the limit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BUNDLE_LIMIT_BYTES, bundleSizes, formatBundleReport } from '../../bin/synth-report';

process.env.CDK_VALIDATION = 'false';

const ROOT = resolve(__dirname, '..', '..');
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'papertrend-assembly-'));
  // Real esbuild bundling of a small module, as `cdk synth` does for the handlers.
  // Path metadata on, as the CDK CLI sets it.
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'Bundles', { env: { account: '123456789012', region: 'eu-west-1' } });
  for (const [id, sourceMap] of [
    ['WithMap', true],
    ['Plain', false],
  ] as const) {
    new NodejsFunction(stack, id, {
      entry: join(ROOT, 'lambdas', 'core', 'send-rate.ts'),
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      projectRoot: ROOT,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      bundling: { minify: true, sourceMap, externalModules: ['@aws-sdk/*'], logLevel: LogLevel.ERROR },
    });
  }
  app.synth();
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('synth report', () => {
  it('names each function by its construct path and measures its code and source maps apart', () => {
    const sizes = bundleSizes(outdir);
    expect(sizes.map((size) => size.name)).toEqual(['Bundles/Plain', 'Bundles/WithMap']);
    const [plain, withMap] = sizes;
    expect(plain!.mapBytes).toBe(0);
    expect(plain!.bytes).toBeGreaterThan(100);
    expect(withMap!.mapBytes).toBeGreaterThan(0);
    expect(withMap!.codeBytes).toBe(withMap!.bytes - withMap!.mapBytes);
    expect(withMap!.codeBytes).toBeGreaterThan(100);
    for (const size of sizes) expect(size.assetPath).toMatch(/^asset\.[0-9a-f]{64}$/);
  });

  it('passes code within the limit and fails the function whose code is over it, by name', () => {
    const sizes = bundleSizes(outdir);
    expect(formatBundleReport(sizes).ok).toBe(true);
    expect(formatBundleReport(sizes).lines.at(-1)).toBe('Every bundle is within the limit.');
    const withMap = sizes.find((size) => size.name === 'Bundles/WithMap')!;
    const plain = sizes.find((size) => size.name === 'Bundles/Plain')!;
    // Plain's code is a little smaller than WithMap's (no sourceMappingURL comment); maps are not held to the limit.
    expect(plain.codeBytes).toBeLessThan(withMap.codeBytes);
    expect(formatBundleReport(sizes, withMap.codeBytes).ok).toBe(true);
    const tight = formatBundleReport(sizes, withMap.codeBytes - 1);
    expect(tight.ok).toBe(false);
    expect(tight.lines.at(-1)).toContain('Bundles/WithMap');
    expect(tight.lines.at(-1)).not.toContain('Bundles/Plain');
    expect(BUNDLE_LIMIT_BYTES).toBe(400 * 1024);
  });

  it('fails when the assembly holds no bundle at all', () => {
    expect(formatBundleReport([])).toEqual({ lines: [expect.stringContaining('No function bundles')], ok: false });
  });
});
