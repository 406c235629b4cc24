// One version, one source of truth: package.json. The bundled CLI and the README must agree with it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers.ts';

const packageVersion = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version as string;

describe('version', () => {
  it('is a semantic version', () => {
    expect(packageVersion).toMatch(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/);
  });

  it('is what `reconcile --version` prints', () => {
    const result = runCli(['--version'], { dataDir: tempDir() });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(packageVersion);
  });

  it('is the one README.md states as "Version: X.Y.Z"', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const stated = [...readme.matchAll(/^\W*Version:\W*v?(\d+\.\d+\.\d+\S*?)[`*_]*\s*$/gim)].map((match) => match[1]);
    expect(stated).toEqual([packageVersion]);
  });
});
