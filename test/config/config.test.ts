import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadEnv, readConfigFile, UserError } from '../../engine/config/index.ts';
import { readEnvFile } from '../../engine/config/env.ts';
import { runCli, tempDir } from '../helpers.ts';

function writeConfig(text: string, name = 'reconcile.yaml'): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

const validYaml = `space: ./space
sources:
  - id: count-zero-dev
    host: count-zero
    kind: rsync
    class: local
    origin: /Users/miket/dev/
    landing: mike/dev
    manifest: manifests/count-zero-dev.jsonl.gz
    logs: [logs/count-zero-dev.log]
`;

describe('config file', () => {
  it('resolves the space against the file and landings against the space', () => {
    const file = writeConfig(validYaml);
    const config = loadConfig({ file, env: loadEnv({ RECONCILE_DATA_DIR: '/tmp/x' }) });
    const dir = path.dirname(file);
    expect(config.space).toBe(path.join(dir, 'space'));
    expect(config.sources[0]!.root).toBe(path.join(dir, 'space', 'mike/dev'));
    expect(config.sources[0]!.manifestPath).toBe(path.join(dir, 'manifests/count-zero-dev.jsonl.gz'));
    expect(config.sources[0]!.logPaths).toEqual([path.join(dir, 'logs/count-zero-dev.log')]);
    expect(config.priority[0]).toBe('system-of-record');
    expect(config.databasePath).toBe('/tmp/x/reconcile.db');
  });

  it('accepts JSON as well as YAML', () => {
    const file = writeConfig(JSON.stringify({ space: '/space', sources: [] }), 'reconcile.json');
    expect(readConfigFile(file).space).toBe('/space');
  });

  it.each([
    ['a bad source id', validYaml.replace('count-zero-dev\n', 'Count_Zero\n'), /sources\[0\]\.id: must be lowercase/],
    ['an unknown kind', validYaml.replace('kind: rsync', 'kind: ftp'), /sources\[0\]\.kind: Invalid option/],
    ['an unknown key', `${validYaml}    colour: blue\n`, /sources\[0\]: Unrecognized key: "colour"/],
    ['a landing outside the space', validYaml.replace('landing: mike/dev', 'landing: ../etc'), /sources\[0\]\.landing: must not contain \.\./],
    ['a missing space', 'sources: []\n', /space: Invalid input/],
    ['duplicate ids', validYaml + validYaml.split('\n').slice(2).join('\n'), /duplicate id "count-zero-dev"/],
  ])('names the file, key and problem for %s', (_name, text, pattern) => {
    const file = writeConfig(text);
    expect(() => readConfigFile(file)).toThrow(UserError);
    expect(() => readConfigFile(file)).toThrow(new RegExp(`^config ${file}: `));
    expect(() => readConfigFile(file)).toThrow(pattern);
  });

  it('reports YAML syntax errors with the file name', () => {
    const file = writeConfig('space: [unclosed\n');
    expect(() => readConfigFile(file)).toThrow(/not valid YAML/);
  });

  it('reports a missing file', () => {
    expect(() => readConfigFile('/nonexistent/reconcile.yaml')).toThrow(/config \/nonexistent\/reconcile.yaml: cannot be read \(no such file\)/);
  });
});

describe('environment', () => {
  it('rejects invalid values with the variable name', () => {
    expect(() => loadEnv({ RECONCILE_LOG_LEVEL: 'loud' })).toThrow(/RECONCILE_LOG_LEVEL/);
  });

  it('refuses an env file other users can read, and reads a 0600 one', () => {
    const file = path.join(tempDir(), 'reconcile.env');
    fs.writeFileSync(file, 'NEXTAUTH_SECRET="s3cret value"\nexport ENTRA_TENANT_ID=tenant # comment\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(() => readEnvFile(file)).toThrow(/mode 0644 lets other users read secrets; run chmod 600/);
    fs.chmodSync(file, 0o600);
    expect(readEnvFile(file)).toEqual({ NEXTAUTH_SECRET: 's3cret value', ENTRA_TENANT_ID: 'tenant' });
    const env = loadEnv({ RECONCILE_ENV_FILE: file, ENTRA_TENANT_ID: 'from-environment' });
    expect(env.NEXTAUTH_SECRET).toBe('s3cret value');
    expect(env.ENTRA_TENANT_ID).toBe('from-environment');
  });
});

describe('CLI errors', () => {
  it('prints a malformed config as one clear line and exits non-zero, without a stack trace', () => {
    const file = writeConfig('space: /space\nsources:\n  - id: x\n    kind: rsync\n');
    const result = runCli(['--config', file, 'serve'], { dataDir: tempDir() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^reconcile: config ${file}: sources\\[0\\]\\.class: `));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives the error as JSON with --json', () => {
    const result = runCli(['--json', '--config', '/nonexistent.yaml', 'serve'], { dataDir: tempDir() });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: 'config /nonexistent.yaml: cannot be read (no such file)' });
  });

  it('rejects an unknown command and an invalid flag', () => {
    expect(runCli(['frobnicate'], { dataDir: tempDir() }).status).not.toBe(0);
    const badPort = runCli(['serve', '--port', 'eighty'], { dataDir: tempDir() });
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toMatch(/bad option: --port: /);
  });

  it('refuses to serve beyond loopback in local mode', () => {
    const result = runCli(['serve', '--host', '0.0.0.0'], { dataDir: tempDir(), env: { RECONCILE_AUTH: 'local' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/local sign-in mode listens only on a loopback address/);
  });
});
