// The Lambdas' zod: zod/mini with English messages, and the only way lambdas/ reaches zod.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as z from '../../lambdas/core/zod';

const LAMBDAS = join(__dirname, '..', '..', 'lambdas');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('lambdas/core/zod', () => {
  it('speaks English: zod/mini alone would say "Invalid input" for every issue', () => {
    const short = z.string().check(z.minLength(3)).safeParse('ab');
    const notUrl = z.url().safeParse('nope');
    const wrongType = z.object({ n: z.number() }).safeParse({ n: 'x' });
    expect(short.error?.issues[0]?.message).toBe('Too small: expected string to have >=3 characters');
    expect(notUrl.error?.issues[0]?.message).toBe('Invalid URL');
    expect(wrongType.error?.issues[0]?.message).toBe('Invalid input: expected number, received string');
  });

  it('is the only module under lambdas/ that imports zod, so no bundle pulls in classic zod or skips the messages', () => {
    const importers = sourceFiles(LAMBDAS)
      .filter((file) => /from 'zod(\/[^']*)?'|require\('zod/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(LAMBDAS, file));
    expect(importers).toEqual(['core/zod.ts']);
  });
});
