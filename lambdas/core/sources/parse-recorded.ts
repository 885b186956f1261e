// Parses a recorded source response (HF JSON, arXiv Atom or RSS), choosing the parser by content.
import { isIsoDay } from '../day';
import type { SourceBatch, SourceName } from '../model';
import { parseArxivAtom } from './arxiv-atom';
import { parseArxivRss } from './arxiv-rss';
import { parseHfDaily } from './hf-daily';
import { SourceFormatError } from './source-format-error';

/** The kinds of recorded response this project reads. */
export type RecordedFormat = 'hf-json' | 'arxiv-atom' | 'arxiv-rss';

/** The source each recorded format comes from. */
export const SOURCE_OF_FORMAT: Record<RecordedFormat, SourceName> = {
  'hf-json': 'hf',
  'arxiv-atom': 'arxiv',
  'arxiv-rss': 'arxiv',
};

/** The format of a recorded response, judged by its first characters and root element; undefined when unknown. */
export function detectRecordedFormat(text: string): RecordedFormat | undefined {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('[') || body.startsWith('{')) return 'hf-json';
  if (!body.startsWith('<')) return undefined;
  const rootElement = /<(?![?!])(?:[\w-]+:)?([\w-]+)[\s>/]/.exec(body.replace(/<!--[\s\S]*?-->/g, ''))?.[1];
  if (rootElement === 'feed') return 'arxiv-atom';
  if (rootElement === 'rss') return 'arxiv-rss';
  return undefined;
}

/**
 * Papers from a recorded response, listed on `day`. Throws SourceFormatError, naming the file,
 * when the content is none of the known formats or its payload is unusable.
 */
export function parseRecorded(fileName: string, text: string, day: string): SourceBatch {
  const format = detectRecordedFormat(text);
  try {
    switch (format) {
      case 'hf-json':
        return parseHfDaily(text.replace(/^\uFEFF/, ''), day);
      case 'arxiv-atom':
        return parseArxivAtom(text, day);
      case 'arxiv-rss': {
        const { filtered: _filtered, ...batch } = parseArxivRss(text, day);
        return batch;
      }
      case undefined:
        throw new SourceFormatError('not HF JSON, arXiv Atom or RSS');
    }
  } catch (error) {
    if (error instanceof SourceFormatError) throw new SourceFormatError(`${fileName}: ${error.message}`);
    throw error;
  }
}

/** The YYYY-MM-DD date in a file name ("hf-daily-2026-08-13.json"), when it holds a real date. */
export function dayFromFileName(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  for (const [day] of base.matchAll(/(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)/g)) {
    if (isIsoDay(day)) return day;
  }
  return undefined;
}
