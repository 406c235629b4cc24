#!/usr/bin/env node
// Runs the bundled CLI (npm run build:engine writes dist/cli.js).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('reconcile: the engine is not built yet; run npm run build (or npm run setup)\n');
  process.exit(2);
}
await import(cli.href);
