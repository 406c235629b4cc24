// Fails when prisma/models/*.prisma and the committed SQL migrations disagree: every model and
// field the generated client knows must exist as a table and column built from the migrations.
import { describe, expect, it } from 'vitest';
import { Prisma } from '../../lib/generated/prisma/client.ts';
import { tempDatabase } from '../helpers.ts';

describe('schema drift', () => {
  const { db } = tempDatabase();

  it('builds every model from the migrations', () => {
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name),
    );
    for (const model of Object.values(Prisma.ModelName)) expect(tables, `table ${model}`).toContain(model);
  });

  it('has every field of every model as a column', () => {
    const namespace = Prisma as unknown as Record<string, Record<string, string> | undefined>;
    for (const model of Object.values(Prisma.ModelName)) {
      const fields = namespace[`${model}ScalarFieldEnum`];
      expect(fields, `${model}ScalarFieldEnum`).toBeDefined();
      const columns = new Set(
        (db.prepare(`PRAGMA table_info("${model}")`).all() as { name: string }[]).map((c) => c.name),
      );
      for (const field of Object.values(fields!)) expect(columns, `${model}.${field}`).toContain(field);
    }
  });

  it('has no table the schema does not know', () => {
    const known = new Set<string>([...Object.values(Prisma.ModelName), '_prisma_migrations', 'sqlite_sequence']);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (t) => t.name,
    );
    expect(tables.filter((name) => !known.has(name))).toEqual([]);
  });

  it('runs with WAL and foreign keys on', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
