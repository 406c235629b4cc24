export { openDatabase, type Db } from './open.ts';
export { migrate, listMigrations, migrationsDir, type Migration } from './migrate.ts';
