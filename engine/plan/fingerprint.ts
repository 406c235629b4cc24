/**
 * The plan's inputs in one hash, cheap to take on a catalog of millions: which scan last wrote the
 * catalog, the sources, the origin inventories, the transfer-log events, the shaping config, what
 * apply did to the space, the waivers, the engine's version and plan format. Two plans over the same inputs
 * are the same plan, so a stored plan run with the current fingerprint can be reused.
 *
 * Not inputs, on purpose:
 * - Decisions: classify and propose never read them; lists join them at read time.
 * - Full hashes classify keeps in the catalog (keepHash): written only for rows whose size and
 *   mtime are unchanged, they are the hash classify computes for that file anyway, so a plan built
 *   after them has the same bytes (test/plan/staged.test.ts checks). They move no scan id either.
 * - Files on disk changed behind a scan: classify reads some content (truncated tails, stubs,
 *   hashes the catalog lacks) and whether a staging target is free, as the last scan left the
 *   space; the next scan records the change and moves the fingerprint. Until then apply's
 *   preconditions refuse stale operations, and `--rebuild` plans anew.
 */
import crypto from 'node:crypto';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { projectVersion } from '../project.ts';
import { planFormat } from './document.ts';

/** The parts of the config that shape the plan; the web app's access settings do not. */
export function configHash(config: Config): string {
  const shaping = {
    space: config.space,
    sources: config.sources.map(({ id, kind, class: sourceClass, landing, host, origin, remote, systemOfRecord }) => ({
      id, kind, class: sourceClass, landing, host, origin, remote, systemOfRecord,
    })),
    layout: config.layout,
    priority: config.priority,
  };
  return crypto.createHash('sha256').update(JSON.stringify(shaping)).digest('hex');
}

/** Raise when what the plan reads changes shape (a new table, a new column classify reads). */
const inputsFormat = 'plan-inputs/3';

/**
 * The fingerprint of everything a plan built now would read; null while a scan is writing the
 * catalog (its rows are in flux, so a plan of them is not reusable, nor a plan reused over them).
 */
export function planFingerprint(db: Db, config: Config): string | null {
  const latestScan = db.prepare('SELECT id, status, finishedAt FROM ScanRun ORDER BY id DESC LIMIT 1').raw().get() as [number, string, string | null] | undefined;
  if (latestScan?.[1] === 'running') return null;
  // A finished rescan that changed nothing (ScanRun.catalogChanged false) leaves the inputs as they were.
  const lastChange = db.prepare('SELECT id, status, finishedAt FROM ScanRun WHERE catalogChanged ORDER BY id DESC LIMIT 1').raw().get() ?? null;
  // AUTOINCREMENT tables: the sequence is the highest id ever given, so it moves with every insert
  // (a deleted and re-inserted row never gets its old id back).
  const sequence = db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck();
  const inputs = {
    format: inputsFormat,
    planFormat,
    engine: projectVersion(),
    config: configHash(config),
    // Classify reads the files with this process's permissions (what it cannot read is evidence).
    reader: process.getuid?.() ?? null,
    // Entries change only while a scan runs, and every scan that changed them is a ScanRun row saying so.
    scan: lastChange,
    entries: sequence.get('Entry') ?? 0,
    sources: db.prepare('SELECT id, kind, class, host, origin, landing, root FROM Source ORDER BY id').raw().all(),
    inventories: db.prepare('SELECT id, sourceId, fileHash, hashKinds, entryCount, importedAt FROM Inventory ORDER BY id').raw().all(),
    originEntries: sequence.get('OriginEntry') ?? 0,
    // A re-imported log deletes its events and inserts them anew: the sequence moves, the count may not.
    transferEvents: [sequence.get('TransferEvent') ?? 0, db.prepare('SELECT COUNT(*) FROM TransferEvent').pluck().get()],
    // A waiver turns an entry to fetch into one not to recover.
    waivers: db.prepare('SELECT id, revokedAt FROM Waiver ORDER BY id').raw().all(),
    // Apply and rollback move files the plan reads on disk (free staging targets, probed content).
    applyRuns: db.prepare('SELECT id, status, doneCount, skippedCount, failedCount, rolledBackAt FROM ApplyRun ORDER BY id').raw().all(),
  };
  return crypto.createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}
