// Recorded arXiv id_list responses in a folder (*.xml) as a MetadataSource, for the CLI's --replay and the local stack.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArxivRecord } from '../core/model';
import { idListOf, parseArxivRecords } from '../core/sources/arxiv-atom';
import type { MetadataLookup, MetadataSource } from '../ports';

/**
 * Answers lookups from the folder's recorded `id_list` responses (Atom feeds whose query names
 * ids); an id no recording holds is not found, as arXiv would answer for an unknown id. Search
 * responses and unreadable files are ignored. A folder with none answers nothing.
 */
export class ReplayMetadataSource implements MetadataSource {
  readonly name = 'replay:arxiv-id-list';
  private records: Promise<Map<string, ArxivRecord>> | undefined;

  constructor(private readonly dir: string) {}

  async lookup(ids: string[]): Promise<MetadataLookup> {
    this.records ??= readRecords(this.dir);
    const records = await this.records;
    return { found: ids.flatMap((id) => records.get(id) ?? []), failed: [], errors: [] };
  }
}

async function readRecords(dir: string): Promise<Map<string, ArxivRecord>> {
  const records = new Map<string, ArxivRecord>();
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.toLowerCase().endsWith('.xml')).sort();
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8').catch(() => '');
    try {
      if (!isIdListResponse(text)) continue;
      for (const record of parseArxivRecords(text)) records.set(record.id, record);
    } catch {
      // Not an Atom feed, or arXiv's error entry: nothing to learn from this file.
    }
  }
  return records;
}

/** An arXiv API response to an `id_list` query (the fetch replays leave these out of the day's papers). */
export function isIdListResponse(text: string): boolean {
  if (!/<feed[\s>]/.test(text)) return false;
  try {
    return idListOf(text) !== undefined;
  } catch {
    return false;
  }
}
