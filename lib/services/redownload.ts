/**
 * Re-download lists: the files to fetch again from each source's origin (placeholders, partials,
 * missing), as the plan recorded them, ready for `rclone copy --files-from`.
 */
import 'server-only';
import { serverConfig } from '../config.ts';
import { engineDb } from '../db.ts';
import { ApiError } from '../api/respond.ts';

export interface RedownloadList {
  source: string;
  remote: string | null;
  origin: string | null;
  landing: string | null;
  files: string[];
}

export function redownloadLists(): RedownloadList[] {
  const rows = engineDb()
    .prepare(`SELECT p.redownloadJson FROM Proposal p JOIN Finding f ON f.id = p.findingId WHERE f.status = 'open' AND p.redownloadJson <> '[]'`)
    .pluck()
    .all() as string[];
  const bySource = new Map<string, Set<string>>();
  for (const json of rows) {
    for (const item of JSON.parse(json) as { source: string; relPath: string }[]) {
      const files = bySource.get(item.source) ?? new Set<string>();
      files.add(item.relPath);
      bySource.set(item.source, files);
    }
  }
  const sources = new Map(serverConfig().sources.map((source) => [source.id, source]));
  return [...bySource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([source, files]) => ({
      source,
      remote: sources.get(source)?.remote ?? null,
      origin: sources.get(source)?.origin ?? null,
      landing: sources.get(source)?.landing ?? null,
      files: [...files].sort(),
    }));
}

/** One source's list as a text file, one path a line (rclone's --files-from format). */
export function redownloadFile(source: string): Response {
  const list = redownloadLists().find((candidate) => candidate.source === source);
  if (!list) throw new ApiError('not_found', 'nothing to re-download from this source');
  return new Response(`${list.files.join('\n')}\n`, {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="redownload-${source}.txt"`,
      'cache-control': 'no-store',
    },
  });
}
