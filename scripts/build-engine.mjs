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

const result = await build({
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
  metafile: true,
});

// Chunk names change with their content, so earlier builds' chunks pile up in dist/. A process
// started from an earlier build (a test's CLI, `serve`) may still import them lazily, so they go
// only once no build has produced them for an hour (this build stamps its files with the time now).
const graceMs = 60 * 60 * 1000;
const written = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(file)));
const now = new Date();
for (const file of written) fs.utimesSync(file, now, now);
let removed = 0;
for (const entry of fs.readdirSync('dist', { withFileTypes: true })) {
  const file = path.resolve('dist', entry.name);
  if (!entry.isFile() || written.has(file) || !/\.js(\.map)?$/.test(entry.name)) continue;
  if (fs.statSync(file).mtimeMs < now.getTime() - graceMs) {
    fs.rmSync(file, { force: true });
    removed++;
  }
}
console.log(
  `engine bundled: ${Object.keys(entryPoints).map((name) => `dist/${name}.js`).join(', ')}` +
    (removed ? ` (${removed} files of builds older than an hour removed)` : ''),
);

// The single-file origin tool: the manifest command with everything bundled in, for a bare Node
// on the Mac or the PC. A native addon cannot be bundled, so one reaching it fails the build.
const tool = await build({
  entryPoints: ['engine/cli/origin-tool.ts'],
  outfile: 'dist/tools/reconcile-manifest.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as reconcileRequire } from 'node:module'; const require = reconcileRequire(import.meta.url);" },
  define: { RECONCILE_VERSION: JSON.stringify(manifest.version) },
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
});
const native = Object.keys(tool.metafile.inputs).filter((file) => /\.node$|node_modules\/(xxhash-addon|better-sqlite3|@napi-rs|@prisma|pino)\//.test(file));
if (native.length > 0) throw new Error(`dist/tools/reconcile-manifest.mjs must not bundle native or server code: ${native.join(', ')}`);
console.log(`origin tool bundled: dist/tools/reconcile-manifest.mjs (${Math.round(fs.statSync('dist/tools/reconcile-manifest.mjs').size / 1024)} KiB)`);
