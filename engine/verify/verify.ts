/**
 * Verification by reading bytes. Three sections, then one outcome:
 * - operations: what the runs in scope wrote or moved is where the chain of moves ends, with the
 *   planned size and hash (re-read on the hash workers); sources are gone or still there as planned;
 * - conservation: every content the catalog knows and every content a run placed is on disk now
 *   (unchanged since the scan, or read again), and not only in the archive or a conflicts folder
 *   unless a decision put it there;
 * - origins: every origin-inventory entry is present (confirmed now) or outstanding, with why.
 * An entry the owner waived (`reconcile waive`) is accounted for, and listed with its waiver.
 * complete: nothing lost and nothing outstanding; outstanding: nothing lost, entries still to
 * fetch; failed: content lost or a written file that does not hash as planned.
 * Scope: one apply run (its operations are always re-read), or the whole space (every run's).
 */
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { resolveRun } from '../apply/index.ts';
import { checkConservation } from './conservation.ts';
import type { VerifyContext } from './context.ts';
import { RunMoves } from './moves.ts';
import { checkOperations } from './operations.ts';
import { accountOrigins } from './origins.ts';
import { Rehasher } from './reader.ts';
import { decideOutcome, type OutstandingEntry, type Verification } from './types.ts';

export type VerifyPhase = 'operations' | 'conservation' | 'origins' | 'done';

export interface VerifyOptions {
  /** A run id or `latest`: that run's operations; omitted: the whole space. */
  run?: string;
  /** Hash worker threads (default: one per core, at most four). */
  workers?: number;
  onPhase?: (phase: VerifyPhase) => void;
  /** Every outstanding origin entry, as it is found (the stored result keeps a sample). */
  onOutstanding?: (entry: OutstandingEntry) => void;
}

export async function verify(db: Db, config: Config, options: VerifyOptions = {}): Promise<Verification> {
  const runId = options.run === undefined ? null : resolveRun(db, options.run).id;
  const moves = new RunMoves(db);
  const reader = new Rehasher(db, options.workers);
  // Work tables in a temporary file with a 64 MiB page cache: small runs stay in memory, a million
  // operations spill to disk instead of counting against the memory budget.
  db.pragma('temp_store = FILE');
  db.pragma('temp.cache_size = -65536');
  const context: VerifyContext = { db, config, moves, reader };
  try {
    options.onPhase?.('operations');
    moves.build(runId);
    const operations = await checkOperations(context);
    options.onPhase?.('conservation');
    const conservation = await checkConservation(context);
    options.onPhase?.('origins');
    const origins = await accountOrigins(context, options.onOutstanding);
    options.onPhase?.('done');
    const sections = {
      operations: { checked: operations.checked, problemCount: operations.problems.count, problems: operations.problems.items },
      conservation: { contents: conservation.contents, inReconciliation: conservation.inReconciliation, lostCount: conservation.lost.count, lost: conservation.lost.items },
      origins: {
        entries: origins.entries,
        present: origins.present,
        weak: origins.weak,
        outstanding: origins.sources.reduce((sum, source) => ({ files: sum.files + source.outstanding.files, bytes: sum.bytes + source.outstanding.bytes }), { files: 0, bytes: 0 }),
        waived: origins.sources.reduce((sum, source) => ({ files: sum.files + source.waived.files, bytes: sum.bytes + source.waived.bytes }), { files: 0, bytes: 0 }),
        sources: origins.sources,
      },
    };
    const verification: Verification = { outcome: decideOutcome(sections), runId, checkedAt: new Date().toISOString(), read: { ...reader.read }, ...sections };
    store(db, verification);
    return verification;
  } finally {
    await reader.close();
    moves.drop();
    db.exec('DROP TABLE IF EXISTS temp.verify_content');
    db.pragma('temp_store = MEMORY');
  }
}

function store(db: Db, verification: Verification): void {
  const json = JSON.stringify(verification);
  db.transaction(() => {
    db.prepare('INSERT INTO Verification (runId, outcome, checkedAt, resultJson) VALUES (?, ?, ?, ?)').run(verification.runId, verification.outcome, verification.checkedAt, json);
    if (verification.runId !== null) db.prepare('UPDATE ApplyRun SET verifyJson = ? WHERE id = ?').run(json, verification.runId);
  })();
}

/** The latest stored verification of the space or of `runId` (either, when omitted). */
export function latestVerification(db: Db, runId?: string | null): Verification | null {
  const json = (
    runId === undefined
      ? db.prepare('SELECT resultJson FROM Verification ORDER BY id DESC LIMIT 1').pluck().get()
      : db.prepare('SELECT resultJson FROM Verification WHERE runId IS NULL OR runId = ? ORDER BY id DESC LIMIT 1').pluck().get(runId)
  ) as string | undefined;
  return json ? (JSON.parse(json) as Verification) : null;
}
