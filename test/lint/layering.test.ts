// The layering rules of eslint.config.mjs bite: probe files placed in each room import across a rule.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const LAYERING_RULES = ['import-x/no-restricted-paths', 'no-restricted-imports'];

/** Some real module under `folder`: files move during refactors, the rules are about folders. */
function someModuleIn(folder: string): string {
  const entries = readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true });
  const file = entries.find((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'));
  if (!file) throw new Error(`no module in ${folder}`);
  return join(file.parentPath, file.name).replace(/\.ts$/, '');
}

/** A module at `path` (relative to the root) importing each of `targets` (absolute, no extension). */
function importing(path: string, targets: string[]): string {
  return targets
    .map((target, index) => {
      const specifier = relative(join(ROOT, path, '..'), target);
      return `import * as imported${index} from '${specifier.startsWith('.') ? specifier : `./${specifier}`}';\nexport const probe${index} = imported${index};\n`;
    })
    .join('');
}

const compose = join(ROOT, 'lambdas/compose');
const ports = join(ROOT, 'lambdas/ports');
const adapter = someModuleIn('lambdas/adapters');
const sqs = "import { SQSClient } from '@aws-sdk/client-sqs';\nexport const probe = SQSClient;\n";
const sqsType = "import type { SQSClient } from '@aws-sdk/client-sqs';\nexport type Probe = SQSClient;\n";

/** [what, probe path, source, the rule it must break (undefined: none)] */
const cases: [string, string, string, string | undefined][] = [
  ['a use case importing an adapter', 'lambdas/use-cases/probe.ts', importing('lambdas/use-cases/probe.ts', [adapter]), 'use cases import only'],
  ['a use case importing compose.ts', 'lambdas/use-cases/probe.ts', importing('lambdas/use-cases/probe.ts', [compose]), 'use cases import only'],
  ['web/ importing compose.ts', 'lambdas/web/probe.ts', importing('lambdas/web/probe.ts', [compose]), 'web/ imports neither'],
  ['web/ importing an adapter', 'lambdas/web/probe.ts', importing('lambdas/web/probe.ts', [adapter]), 'web/ imports neither'],
  ['lambdas/ importing test/', 'lambdas/adapters/probe.ts', importing('lambdas/adapters/probe.ts', [someModuleIn('test/support')]), 'lambdas/ never imports'],
  ['lambdas/ importing dev/', 'lambdas/probe.ts', importing('lambdas/probe.ts', [someModuleIn('dev')]), 'lambdas/ never imports'],
  ['lambdas/ importing bin/', 'lambdas/handlers/probe.ts', importing('lambdas/handlers/probe.ts', [someModuleIn('bin')]), 'lambdas/ never imports'],
  ['lambdas/ importing lib/', 'lambdas/probe.ts', importing('lambdas/probe.ts', [someModuleIn('lib')]), 'lambdas/ never imports'],
  ['core importing ports.ts', 'lambdas/core/probe.ts', importing('lambdas/core/probe.ts', [ports]), 'core imports nothing outside'],
  [
    'core importing a use case',
    'lambdas/core/render/probe.ts',
    importing('lambdas/core/render/probe.ts', [someModuleIn('lambdas/use-cases')]),
    'core imports nothing outside',
  ],
  ['bench/ importing test/', 'bench/probe.ts', importing('bench/probe.ts', [someModuleIn('test/support')]), 'bench/ never imports test/'],
  ['core importing @aws-sdk/*', 'lambdas/core/probe.ts', sqs, 'only lambdas/adapters/'],
  ['a use case importing an @aws-sdk/* type', 'lambdas/use-cases/probe.ts', sqsType, 'only lambdas/adapters/'],
  ['web/ importing @aws-sdk/*', 'lambdas/web/probe.ts', sqs, 'only lambdas/adapters/'],
  [
    'a use case importing core, ports.ts and another use case',
    'lambdas/use-cases/probe.ts',
    importing('lambdas/use-cases/probe.ts', [someModuleIn('lambdas/core'), ports, someModuleIn('lambdas/use-cases')]),
    undefined,
  ],
  [
    'core importing core and a package',
    'lambdas/core/render/probe.ts',
    `${importing('lambdas/core/render/probe.ts', [someModuleIn('lambdas/core')])}import 'zod/mini';\n`,
    undefined,
  ],
  [
    'web/ importing a use case and core',
    'lambdas/web/probe.ts',
    importing('lambdas/web/probe.ts', [someModuleIn('lambdas/use-cases'), someModuleIn('lambdas/core')]),
    undefined,
  ],
  ['compose.ts importing adapters and @aws-sdk/*', 'lambdas/compose.ts', importing('lambdas/compose.ts', [adapter]) + sqsType, undefined],
  ['an adapter importing @aws-sdk/*', 'lambdas/adapters/probe.ts', sqs, undefined],
  ['a handler importing @aws-sdk/*', 'lambdas/handlers/probe.ts', sqs, undefined],
  ['a test importing anything', 'test/probe.test.ts', importing('test/probe.test.ts', [compose, adapter, someModuleIn('dev'), someModuleIn('bin')]), undefined],
  ['bench/ importing dev/, lambdas/ and @aws-sdk/*', 'bench/probe.ts', importing('bench/probe.ts', [someModuleIn('dev'), adapter]) + sqsType, undefined],
];

let results: { ruleId: string | null; message: string }[][];

beforeAll(() => {
  // In a child process: ESLint loads its flat config with import(), which jest's VM refuses.
  const output = execFileSync(process.execPath, [join(__dirname, 'lint-probes.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(cases.map(([, filePath, source]) => ({ filePath, source }))),
    encoding: 'utf8',
  });
  results = JSON.parse(output);
}, 60_000);

describe('layering rules', () => {
  it.each(cases.map((testCase, index) => [...testCase, index] as const))('%s: %s', (_what, _path, _source, rule, index) => {
    const messages = results[index]!;
    expect(messages.filter((message) => message.ruleId === null)).toEqual([]); // the probe parsed
    const layering = messages.filter((message) => LAYERING_RULES.includes(message.ruleId ?? '')).map((message) => message.message);
    expect(layering).toEqual(rule === undefined ? [] : [expect.stringContaining(`Layering rule "${rule}`)]);
  });
});
