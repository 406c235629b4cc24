// Bundles the engine's entry points (the CLI and every *.worker.ts) into dist/ with esbuild:
// one file per entry, dependencies left in node_modules. Start-up stays fast (no TS at run time).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

function findWorkers(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findWorkers(full);
    return entry.name.endsWith('.worker.ts') ? [full] : [];
  });
}

const entryPoints = { cli: 'engine/cli/index.ts' };
for (const worker of findWorkers('engine')) entryPoints[path.basename(worker, '.ts')] = worker;

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
console.log(`engine bundled: ${Object.keys(entryPoints).map((name) => `dist/${name}.js`).join(', ')}`);
