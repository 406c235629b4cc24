// The suite exercises the real bundled CLI (dist/cli.js), so bundle the engine once before it runs.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-engine.mjs'], { stdio: 'inherit' });
}
