/** The recovery folder: one root per source, catalogued apart from the landing, never inside a landing. */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadEnv } from '../../engine/config/index.ts';
import { roleOf } from '../../engine/classify/index.ts';
import { SpaceFixture } from '../plan/fixture.ts';
import { tempDir } from '../helpers.ts';

const sources = {
  sources: [
    { id: 'count-zero-dev', host: 'count-zero', kind: 'rsync', class: 'local', origin: '/Users/miket/dev/', landing: 'mike/dev' },
    { id: 'm365', kind: 'rclone', class: 'cloud', origin: 'm365:_MAIN_FILES', remote: 'm365:', landing: 'mike/_MAIN_FILES' },
  ],
};

describe('layout.recovery', () => {
  it('defaults to inbox/recovery, a role of its own', () => {
    const fixture = new SpaceFixture();
    const config = fixture.configure(sources);
    expect(config.layout.recovery).toBe('inbox/recovery');
    expect(roleOf('inbox/recovery/m365/a.txt', config.layout)).toBe('recovery');
    expect(roleOf('inbox/other/a.txt', config.layout)).toBe('inbox');
  });

  it('refuses a recovery folder inside a landing, around one, or in our own folders', () => {
    const dir = tempDir();
    const load = (file: Record<string, unknown>) => {
      const configFile = path.join(dir, 'reconcile.yaml');
      fs.writeFileSync(configFile, YAML.stringify({ space: '.', ...file }));
      return () => loadConfig({ file: configFile, env: loadEnv() });
    };
    expect(load({ ...sources, layout: { recovery: 'mike/dev/recovered' } })).toThrow(
      /layout\.recovery: mike\/dev\/recovered overlaps the landing mike\/dev of source count-zero-dev/,
    );
    expect(load({ ...sources, layout: { recovery: 'mike' } })).toThrow(/overlaps the landing mike\/dev/);
    expect(load({ ...sources, layout: { recovery: 'archive/reconciliation/x' } })).toThrow(/overlaps layout\.archive/);
    expect(load({ ...sources, layout: { recovery: 'fetched' } })).not.toThrow();
  });
});

describe('scan of recovery roots', () => {
  it('catalogues each source recovery folder as a root belonging to that source, apart from its landing', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(sources);
    fixture.write('mike/dev/a.txt', 'landed');
    await fixture.scan();
    // No recovery folder yet: no root, nothing catalogued for it.
    expect(fixture.db.prepare('SELECT id FROM Source ORDER BY id').pluck().all()).toEqual(['count-zero-dev', 'm365']);

    fixture.write('inbox/recovery/count-zero-dev/docs/b.txt', 'fetched');
    fixture.write('inbox/recovery/count-zero-dev/a.txt', 'landed');
    await fixture.scan();
    const roots = fixture.db.prepare('SELECT id, kind, landing, root, recoveryOf FROM Source WHERE recoveryOf IS NOT NULL').all();
    expect(roots).toEqual([
      {
        id: 'recovery:count-zero-dev',
        kind: 'rsync',
        landing: 'inbox/recovery/count-zero-dev',
        root: path.join(fixture.space, 'inbox/recovery/count-zero-dev'),
        recoveryOf: 'count-zero-dev',
      },
    ]);
    const entries = fixture.db
      .prepare("SELECT sourceId, path FROM Entry WHERE type = 'file' AND removedScanId IS NULL ORDER BY sourceId, path")
      .all();
    expect(entries).toEqual([
      { sourceId: 'count-zero-dev', path: 'a.txt' },
      { sourceId: 'recovery:count-zero-dev', path: 'a.txt' },
      { sourceId: 'recovery:count-zero-dev', path: 'docs/b.txt' },
    ]);

    // The folder emptied and removed once its files were placed: its entries are gone from the catalog.
    fs.rmSync(path.join(fixture.space, 'inbox/recovery/count-zero-dev'), { recursive: true });
    await fixture.scan();
    expect(fixture.db.prepare("SELECT COUNT(*) FROM Entry WHERE sourceId = 'recovery:count-zero-dev' AND removedScanId IS NULL").pluck().get()).toBe(0);
  });

  it('says clearly when a recovery folder is a file', async () => {
    const fixture = new SpaceFixture();
    fixture.configure(sources);
    fixture.write('inbox/recovery/m365', 'not a folder');
    await expect(fixture.scan()).rejects.toThrow(/recovery:m365: .*inbox\/recovery\/m365 is not a folder/);
  });
});
