// Reads the project's own source fixtures (test/fixtures/sources).
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The text of a fixture in test/fixtures/sources. */
export function sourceFixture(name: string): string {
  return readFileSync(path.resolve(__dirname, '../../fixtures/sources', name), 'utf8');
}
