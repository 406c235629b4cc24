// Prisma CLI configuration. The CLI is used only to generate the client: the project applies its
// own committed SQL migrations (engine/db/migrate.ts), because the schema engine binary cannot be
// downloaded on our machines.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: 'file:./data/reconcile.db' },
});
