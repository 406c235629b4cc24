// Bundles the engine's entry points (the CLI and every *.worker.ts) into dist/ with esbuild:
// one file per entry plus shared chunks, dependencies left in node_modules. Start-up stays fast
// (no TS at run time, and a command loads only its own code).
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

// Small pure-JS libraries are bundled in (zod alone is ~230 module files to load at every start);
// native addons and everything else stay in node_modules.
const bundled = new Set(['zod', 'commander', 'yaml', 'dotenv']);
const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const external = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) => !bundled.has(name));
for (const worker of findWorkers('engine')) entryPoints[path.basename(worker, '.ts')] = worker;

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  // Bundled CommonJS libraries (commander, dotenv) require Node's built-ins.
  banner: { js: "import { createRequire as reconcileRequire } from 'node:module'; const require = reconcileRequire(import.meta.url);" },
  // Each command is its own chunk, loaded when that command runs (engine/cli/main.ts).
  splitting: true,
  // Flat, beside the workers: worker URLs resolve next to the code that starts them.
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  logLevel: 'warning',
});
console.log(`engine bundled: ${Object.keys(entryPoints).map((name) => `dist/${name}.js`).join(', ')}`);
