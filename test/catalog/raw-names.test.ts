// Names that are not valid UTF-8 must be hashed like any other file: the path handed to the hash
// workers is built in SQL from raw bytes and has to stay bytes (SQLite's || yields TEXT).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDuplicateGroups } from '../../engine/catalog/index.ts';
import { adhocSources, scan } from '../../engine/scan/index.ts';
import { tempDatabase, tempDir } from '../helpers.ts';

describe('names that are not UTF-8', () => {
  it('are hashed and grouped with their duplicates', async () => {
    const root = tempDir('reconcile-raw-names-');
    const content = 'same bytes in both files'.repeat(100);
    const rawName = Buffer.concat([Buffer.from(`${root}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]); // Latin-1 é
    fs.writeFileSync(rawName, content);
    fs.writeFileSync(path.join(root, 'copy.txt'), content);
    const { db } = tempDatabase();

    const summary = await scan(db, { sources: adhocSources(db, [root]), hashWorkers: 1 });

    expect(summary.problems).toEqual([]);
    const unreadable = db.prepare('SELECT COUNT(*) FROM Entry WHERE errorCode IS NOT NULL').pluck().get();
    expect(unreadable).toBe(0);
    const groups = findDuplicateGroups(db);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.members.map((member) => member.relPath).sort()).toEqual(['caf\uFFFD.txt', 'copy.txt']);
  });
});
