/** What a scan reports when it ends (and, kept up to date while it runs, what its progress shows). */
export interface ScanProblem {
  sourceId: string;
  path: string;
  code: string;
  message: string;
}

export interface ScanSummary {
  scanId: number;
  sources: string[];
  entriesSeen: number;
  bytesSeen: number;
  added: number;
  changed: number;
  removed: number;
  /** Unchanged entries whose stored hashes were dropped because they changed too close to the last scan. */
  racy: number;
  /** `--full`: files whose content no longer matches their stored hash while size, mtime and ctime did not change. */
  contentChanged: number;
  unreadable: number;
  /** Entries recorded but not followed or hashed (symlinks, fifos, sockets, devices, loops). */
  skipped: number;
  vanished: number;
  filesHashed: number;
  bytesRead: number;
  durationMs: number;
  /** The first problems met (unreadable, vanished); all of them are in the catalog. */
  problems: ScanProblem[];
}
