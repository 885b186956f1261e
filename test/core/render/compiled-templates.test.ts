import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMPILED_TEMPLATES_MODULE, generateCompiledTemplatesModule } from '../../../bin/build-templates';

const LAMBDAS_DIR = path.join(__dirname, '..', '..', '..', 'lambdas');

function sourceFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFilesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('compiled templates', () => {
  it('match a fresh compilation of templates/*.mjml (run `npm run build:templates` after editing one)', async () => {
    const fresh = await generateCompiledTemplatesModule();
    const committed = readFileSync(COMPILED_TEMPLATES_MODULE, 'utf8');
    expect(committed === fresh).toBe(true);
  });

  it('are the only form of MJML the Lambdas load: nothing under lambdas/ imports mjml', () => {
    const importers = sourceFilesUnder(LAMBDAS_DIR).filter((file) => /from ['"]mjml['"]|require\(['"]mjml['"]\)/.test(readFileSync(file, 'utf8')));
    expect(importers).toEqual([]);
  });
});
