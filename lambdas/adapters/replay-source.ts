// Replays recorded source responses from a folder (*.json, *.xml) as a PaperSource, for the CLI and the local stack.
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Paper, SkippedItem, SourceBatch, SourceName } from '../core/model';
import { SourceFormatError } from '../core/sources/source-format-error';
import { SOURCE_OF_FORMAT, dayFromFileName, detectRecordedFormat, parseRecorded } from '../core/sources/parse-recorded';
import type { PaperSource } from '../ports';
import { isIdListResponse } from './replay-metadata-source';

export interface ReplaySourceOptions {
  dir: string;
  /** Shown in fetch summaries; defaults to "replay". */
  name?: string;
  /** Read only the files of this source; by default every file. */
  only?: SourceName;
}

const RECORDED_FILE = /\.(json|xml)$/i;

/**
 * Every recorded response in a folder, parsed (the fetch use case merges records of one paper). A
 * file's papers are listed on the day in its name ("hf-daily-2026-08-13.json"), or on the requested
 * day when the name has none. A file whose payload cannot be parsed is reported as a skipped item
 * naming the file, and the rest are still read.
 */
export class ReplaySource implements PaperSource {
  readonly name: string;

  constructor(private readonly options: ReplaySourceOptions) {
    this.name = options.name ?? 'replay';
  }

  /** Throws when the folder is missing or holds no *.json or *.xml file. */
  async fetchDay(day: string): Promise<SourceBatch> {
    const files = await recordedFiles(this.options.dir);
    const papers: Paper[] = [];
    const skipped: SkippedItem[] = [];
    let batchSource: SourceName | undefined;
    for (const file of files) {
      const text = await readRecording(path.join(this.options.dir, file));
      const format = text === undefined ? undefined : detectRecordedFormat(text);
      const source = format ? SOURCE_OF_FORMAT[format] : guessSourceFromExtension(file);
      if (this.options.only !== undefined && source !== this.options.only) continue;
      // Answers to id_list lookups hold metadata for papers listed elsewhere, not the day's papers (ReplayMetadataSource reads them).
      if (format === 'arxiv-atom' && text !== undefined && isIdListResponse(text)) continue;
      batchSource ??= source;
      if (text === undefined) {
        skipped.push({ source, reason: `file skipped: ${file}: cannot be read` });
        continue;
      }
      try {
        const batch = parseRecorded(file, text, dayFromFileName(file) ?? day);
        papers.push(...batch.papers);
        skipped.push(...batch.skipped);
      } catch (error) {
        // Any failure is this file's: named (never quoted) and skipped, and its siblings are still read.
        const reason = error instanceof SourceFormatError ? error.message : `${file}: cannot be parsed (${error instanceof Error ? error.name : 'error'})`;
        skipped.push({ source, reason: `file skipped: ${reason}` });
      }
    }
    return { source: batchSource ?? this.options.only ?? 'hf', papers, skipped };
  }
}

/** One replay source per source kind, named "replay:hf" and "replay:arxiv", so fetch summaries show each. */
export function replaySources(dir: string): PaperSource[] {
  return [new ReplaySource({ dir, name: 'replay:hf', only: 'hf' }), new ReplaySource({ dir, name: 'replay:arxiv', only: 'arxiv' })];
}

async function recordedFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(`replay folder ${dir} cannot be read${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  const files = entries
    .filter((entry) => entry.isFile() && RECORDED_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  if (files.length === 0) throw new Error(`replay folder ${dir} holds no recorded *.json or *.xml responses`);
  return files;
}

/** The file's text, or undefined when it cannot be read (removed meanwhile, unreadable). */
async function readRecording(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

function guessSourceFromExtension(file: string): SourceName {
  return file.toLowerCase().endsWith('.json') ? 'hf' : 'arxiv';
}
