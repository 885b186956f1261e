// Lints in-memory probe files with the project's ESLint config, outside jest (whose VM cannot load an ESM config).
// stdin: [{ filePath, source }]; stdout: for each probe, its messages as [{ ruleId, message }].
import { ESLint } from 'eslint';
import { join, resolve } from 'node:path';
import { text } from 'node:stream/consumers';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.mjs') });
const probes = JSON.parse(await text(process.stdin));
const results = [];
for (const { filePath, source } of probes) {
  const [result] = await eslint.lintText(source, { filePath: join(root, filePath) });
  results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(results));
