/**
 * Applies the committed SQL migrations under prisma/migrations in name order and records them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` would, so either tool can take over.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { UserError } from '../config/index.ts';
import { projectRoot } from '../project.ts';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(): string {
  return path.join(projectRoot(), 'prisma', 'migrations');
}

export function listMigrations(dir = migrationsDir()): Migration[] {
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

const bookkeeping = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Returns the names of the migrations it applied (none when the database is current). */
export function migrate(db: Database.Database, migrations = listMigrations()): string[] {
  db.exec(bookkeeping);
  const applied: string[] = [];
  // IMMEDIATE takes the write lock up front, so a server and a worker starting together
  // cannot both apply the same migration.
  const run = db.transaction(() => {
    const done = new Map(
      (
        db
          .prepare('SELECT migration_name, checksum FROM _prisma_migrations WHERE rolled_back_at IS NULL')
          .all() as { migration_name: string; checksum: string }[]
      ).map((row) => [row.migration_name, row.checksum]),
    );
    for (const migration of migrations) {
      const checksum = done.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new UserError(
            `database migration ${migration.name} changed after it was applied to this database; ` +
              'restore the migration file (migrations are append-only)',
          );
        }
        continue;
      }
      const startedAt = new Date().toISOString();
      db.exec(migration.sql);
      db.prepare(
        `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES (?, ?, ?, ?, ?, 1)`,
      ).run(crypto.randomUUID(), migration.checksum, new Date().toISOString(), migration.name, startedAt);
      applied.push(migration.name);
    }
  });
  run.immediate();
  return applied;
}
