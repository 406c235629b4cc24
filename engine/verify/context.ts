/** What every verification phase shares: the database, the layout, the runs' moves and the reader. */
import path from 'node:path';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { isInside } from '../apply/index.ts';
import type { Place, RunMoves } from './moves.ts';
import type { Rehasher } from './reader.ts';
import { sampleLimit } from './types.ts';

export interface VerifyContext {
  db: Db;
  config: Config;
  moves: RunMoves;
  reader: Rehasher;
}

/** The archive (and the journal beside it), a conflicts folder, or anywhere else. */
export function placeOf(config: Config, raw: Buffer): Place {
  const { space, layout } = config;
  if (isInside(raw, path.join(space, layout.conflicts))) return 'conflicts';
  if (isInside(raw, path.join(space, layout.archive)) || isInside(raw, path.join(space, layout.journal))) return 'archive';
  return 'live';
}

/** An exact count with the first `sampleLimit` items kept. */
export class Sample<T> {
  count = 0;
  readonly items: T[] = [];

  add(item: T): void {
    this.count += 1;
    if (this.items.length < sampleLimit) this.items.push(item);
  }
}
