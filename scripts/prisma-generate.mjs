// Generates the Prisma client. Generation uses Prisma's bundled WebAssembly; the CLI still insists
// on a schema-engine binary path, which cannot be downloaded here, so we point it at `true`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const engine = process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? ['/bin/true', '/usr/bin/true'].find((p) => fs.existsSync(p));
const result = spawnSync('npx', ['prisma', 'generate'], {
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: engine, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
});
process.exit(result.status ?? 1);
