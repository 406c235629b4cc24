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

const folders = new WeakMap<Config, { conflicts: string; archive: string[] }>();

/** The archive (and the journal beside it), a conflicts folder, or anywhere else. */
export function placeOf(config: Config, raw: Buffer): Place {
  let known = folders.get(config);
  if (!known) {
    const { space, layout } = config;
    known = { conflicts: path.join(space, layout.conflicts), archive: [path.join(space, layout.archive), path.join(space, layout.journal)] };
    folders.set(config, known);
  }
  if (isInside(raw, known.conflicts)) return 'conflicts';
  return known.archive.some((folder) => isInside(raw, folder)) ? 'archive' : 'live';
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
