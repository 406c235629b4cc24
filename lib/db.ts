/**
 * The web app's database clients: Prisma for ordinary reads and writes, and the engine's
 * better-sqlite3 handle (same file, WAL) for the engine services that need it.
 */
import 'server-only';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client.ts';
import { openDatabase, type Db } from '../engine/db/index.ts';
import { serverConfig } from './config.ts';

const globalCache = globalThis as unknown as { reconcilePrisma?: PrismaClient; reconcileDb?: Db };

export function prisma(): PrismaClient {
  globalCache.reconcilePrisma ??= new PrismaClient({
    adapter: new PrismaBetterSqlite3({ url: `file:${serverConfig().databasePath}`, timeout: 10_000 }),
  });
  return globalCache.reconcilePrisma;
}

/** The engine's connection; migrations run here if `reconcile serve` has not applied them yet. */
export function engineDb(): Db {
  globalCache.reconcileDb ??= openDatabase(serverConfig().databasePath);
  return globalCache.reconcileDb;
}
