// After `cdk synth`: each Lambda function's bundle size from cdk.out, failing when one's code is over the limit unzipped.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The most a function's unzipped code may weigh: past it, cold starts grow and an unused dependency
 * is probably inside. Source maps are printed beside it but not held to it: they are debug data in
 * proportion to the code (esbuild's --sources-content=false cuts them about threefold).
 */
export const BUNDLE_LIMIT_BYTES = 400 * 1024;

export interface BundleSize {
  /** The function's construct path without the stack's trailing `/Resource`, e.g. `PapertrendApp/SendDigest/Function`. */
  name: string;
  /** Everything Lambda unpacks: code, source maps, anything else in the asset folder. */
  bytes: number;
  /** The source maps among them (parsed at start-up with --enable-source-maps). */
  mapBytes: number;
  /** The code: every file but the source maps. */
  codeBytes: number;
  assetPath: string;
}

interface Template {
  Resources?: Record<string, { Type: string; Properties?: { Code?: { S3Key?: unknown } }; Metadata?: Record<string, unknown> }>;
}

interface AssetManifest {
  files?: Record<string, { source: { path?: string } }>;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** The stack templates and asset manifests of a cloud assembly, from its manifest. */
function stackArtifacts(cdkOut: string): { template: Template; assets: AssetManifest }[] {
  const manifest = readJson<{ artifacts?: Record<string, { type: string; properties?: { templateFile?: string; file?: string } }> }>(
    join(cdkOut, 'manifest.json'),
  );
  const artifacts = Object.values(manifest.artifacts ?? {});
  const assets: AssetManifest = { files: {} };
  for (const artifact of artifacts) {
    if (artifact.type === 'cdk:asset-manifest' && artifact.properties?.file) {
      Object.assign(assets.files!, readJson<AssetManifest>(join(cdkOut, artifact.properties.file)).files);
    }
  }
  return artifacts
    .filter((artifact) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile)
    .map((artifact) => ({ template: readJson<Template>(join(cdkOut, artifact.properties!.templateFile!)), assets }));
}

/**
 * Each function whose code is a file asset of the assembly: found by its S3 key (`<hash>.zip`) in
 * the asset manifests, which works even when asset metadata is turned off.
 */
export function bundleSizes(cdkOut: string): BundleSize[] {
  const sizes: BundleSize[] = [];
  for (const { template, assets } of stackArtifacts(cdkOut)) {
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const key = resource.Properties?.Code?.S3Key;
      const hash = typeof key === 'string' ? key.replace(/\.zip$/, '') : undefined;
      const source = hash ? assets.files?.[hash]?.source.path : undefined;
      if (!source) continue;
      const assetPath = join(cdkOut, source);
      const files = statSync(assetPath).isDirectory() ? filesUnder(assetPath) : [assetPath];
      const size = (list: string[]) => list.reduce((sum, file) => sum + statSync(file).size, 0);
      const path = resource.Metadata?.['aws:cdk:path'];
      const mapBytes = size(files.filter((file) => file.endsWith('.map')));
      const bytes = size(files);
      sizes.push({
        name: typeof path === 'string' ? path.replace(/\/Resource$/, '') : logicalId,
        bytes,
        mapBytes,
        codeBytes: bytes - mapBytes,
        assetPath: relative(cdkOut, assetPath),
      });
    }
  }
  return sizes.sort((a, b) => a.name.localeCompare(b.name));
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The report's lines and whether every bundle is within the limit. */
export function formatBundleReport(sizes: BundleSize[], limit = BUNDLE_LIMIT_BYTES): { lines: string[]; ok: boolean } {
  if (sizes.length === 0) return { lines: ['No function bundles found in cdk.out: was bundling skipped?'], ok: false };
  const width = Math.max(...sizes.map((size) => size.name.length));
  const over = sizes.filter((size) => size.codeBytes > limit);
  const lines = [
    `Function bundles, unzipped (code limit ${kb(limit)}):`,
    ...sizes.map(
      (size) =>
        `  ${size.name.padEnd(width)}  code ${kb(size.codeBytes).padStart(9)}  source maps ${kb(size.mapBytes).padStart(9)}  total ${kb(size.bytes).padStart(9)}${size.codeBytes > limit ? '  OVER THE LIMIT' : ''}`,
    ),
    over.length > 0 ? `${over.length} bundle(s) over ${kb(limit)}: ${over.map((size) => size.name).join(', ')}` : 'Every bundle is within the limit.',
  ];
  return { lines, ok: over.length === 0 };
}

function main(cdkOut: string): void {
  if (!existsSync(join(cdkOut, 'manifest.json'))) {
    console.error(`No cloud assembly in ${cdkOut}: run \`npx cdk synth -c placeholders=true\` first.`);
    process.exit(1);
  }
  const { lines, ok } = formatBundleReport(bundleSizes(cdkOut));
  (ok ? console.log : console.error)(lines.join('\n'));
  if (!ok) process.exit(1);
}

if (require.main === module) main(process.argv[2] ?? 'cdk.out');
