// ESLint flat config: typescript-eslint's recommended rules and the house's layering rules (DESIGN.md).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

// Zones are resolved against this folder, not the working directory, so `eslint` run from
// anywhere (or the layering test's Node API) applies the same rules.
const root = import.meta.dirname;

/** A layering rule: files in `target` may not import files in `from` (except `except`). */
const zone = (name, target, from, except) => ({
  target,
  from,
  ...(except ? { except } : {}),
  message: `Layering rule "${name}" (DESIGN.md).`,
});

// Packages are not layers: the zones below cover the project's own files only.
const packages = './node_modules';

const layering = [
  zone('core imports nothing outside lambdas/core/', './lambdas/core', '.', ['./lambdas/core', packages]),
  zone('use cases import only lambdas/core/, lambdas/ports.ts and other use cases', './lambdas/use-cases', '.', [
    './lambdas/core',
    './lambdas/use-cases',
    './lambdas/ports.ts',
    packages,
  ]),
  zone('web/ imports neither compose.ts nor adapters/', './lambdas/web', ['./lambdas/compose.ts', './lambdas/adapters']),
  zone('lambdas/ never imports bin/, dev/, test/ or lib/', './lambdas', ['./bin', './dev', './test', './lib']),
  zone('bench/ never imports test/', './bench', './test'),
];

/** Only adapters/, handlers/ and compose.ts talk to AWS; the rest of lambdas/ sees ports. */
const awsSdkOnlyInAdapters = {
  patterns: [
    {
      group: ['@aws-sdk/*', '@smithy/*'],
      message:
        'Layering rule "only lambdas/adapters/, lambdas/handlers/ and lambdas/compose.ts import @aws-sdk/*" (DESIGN.md); @smithy/* is the SDK underneath.',
    },
  ],
};

export default defineConfig(
  {
    ignores: ['**/node_modules/**', 'cdk.out/**', '.data/**', 'test-output/**', 'out/**', 'lambdas/core/render/compiled-templates.ts'],
  },
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    settings: {
      // The built-in resolver (unrs-resolver) with TypeScript's extensions: enough for this tree's
      // relative imports, so eslint-import-resolver-typescript is not needed.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: layering }],
      // `const { pk: _pk, ...item } = record` is how this code drops fields: rest siblings and
      // `_`-names are deliberate.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // Every control character in a regex here is there to strip control characters from
      // untrusted text (feeds, email headers); the rule only guards against accidental ones.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['lambdas/**/*.ts'],
    ignores: ['lambdas/adapters/**', 'lambdas/handlers/**', 'lambdas/compose.ts'],
    rules: { 'no-restricted-imports': ['error', awsSdkOnlyInAdapters] },
  },
  {
    // The handler tests require() a handler after setting its environment, to replay a cold start.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The few JavaScript files (configs, the layering test's ESLint runner) run on Node as they are.
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
