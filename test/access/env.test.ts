import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAccessEnv, loadEnv } from '../../engine/config/index.ts';
import { runCli, tempDir } from '../helpers.ts';

const entra = {
  ENTRA_TENANT_ID: '11111111-2222-3333-4444-555555555555',
  ENTRA_CLIENT_ID: 'client-id',
  ENTRA_CLIENT_SECRET: 'client-secret-value',
  NEXTAUTH_URL: 'https://reconcile.example.test',
  NEXTAUTH_SECRET: 'x'.repeat(32),
};
const check = (values: Record<string, string>) => () => checkAccessEnv(loadEnv({ NODE_ENV: 'test', ...values }));

describe('access settings in the environment', () => {
  it('accepts explicit local mode, full Entra sign-in, and Entra behind Cloudflare Access', () => {
    expect(check({ RECONCILE_AUTH: 'local' })()).toBe('local');
    expect(check({ RECONCILE_AUTH: 'entra', ...entra })()).toBe('entra');
    expect(check({ RECONCILE_AUTH: 'entra', ...entra, CF_ACCESS_TEAM_DOMAIN: 'team', CF_ACCESS_AUD: 'aud', RECONCILE_ALLOW_DIRECT: '1' })()).toBe('entra');
    // A complete Entra configuration without RECONCILE_AUTH reads as Entra: the fail-closed reading.
    expect(check(entra)()).toBe('entra');
  });

  it('never falls back to local mode: an unset RECONCILE_AUTH without Entra settings is refused, saying why', () => {
    expect(check({})).toThrow(/RECONCILE_AUTH is not set and no Entra ID sign-in is configured\. Set RECONCILE_AUTH=local .*loopback only.*, or RECONCILE_AUTH=entra/);
    expect(check({ RECONCILE_AUTH: '' })).toThrow(/RECONCILE_AUTH is not set/);
    expect(check({ CF_ACCESS_TEAM_DOMAIN: 'team', CF_ACCESS_AUD: 'aud' })).toThrow(/RECONCILE_AUTH is not set/);
    expect(check({ RECONCILE_AUTH: 'open' })).toThrow(/RECONCILE_AUTH/);
  });

  it('refuses local mode beside sign-in settings, naming them', () => {
    expect(check({ RECONCILE_AUTH: 'local', ...entra })).toThrow(
      /RECONCILE_AUTH=local, but ENTRA_TENANT_ID, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, NEXTAUTH_URL, NEXTAUTH_SECRET are set\. Local mode gives every caller every role/,
    );
    expect(check({ RECONCILE_AUTH: 'local', CF_ACCESS_TEAM_DOMAIN: 'team', CF_ACCESS_AUD: 'aud' })).toThrow(/CF_ACCESS_TEAM_DOMAIN, CF_ACCESS_AUD are set/);
    expect(check({ RECONCILE_AUTH: 'local', RECONCILE_ALLOW_DIRECT: '1' })).toThrow(/RECONCILE_ALLOW_DIRECT is set/);
  });

  it('refuses half a configuration and says what is missing', () => {
    expect(check({ RECONCILE_AUTH: 'entra' })).toThrow(/RECONCILE_AUTH=entra\) needs ENTRA_TENANT_ID, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, NEXTAUTH_URL, NEXTAUTH_SECRET too/);
    expect(check({ ENTRA_TENANT_ID: entra.ENTRA_TENANT_ID })).toThrow(/needs ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, NEXTAUTH_URL, NEXTAUTH_SECRET too/);
    expect(check({ ...entra, NEXTAUTH_SECRET: 'short' })).toThrow(/NEXTAUTH_SECRET: must be at least 32/);
    expect(check({ ...entra, NEXTAUTH_URL: 'reconcile.example.test' })).toThrow(/NEXTAUTH_URL: must be the app's absolute URL/);
    expect(check({ ...entra, CF_ACCESS_TEAM_DOMAIN: 'team' })).toThrow(/CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD must be set together/);
    expect(check({ ...entra, RECONCILE_ALLOW_DIRECT: 'true' })).toThrow(/RECONCILE_ALLOW_DIRECT only applies/);
  });
});

describe('reconcile serve and secrets', () => {
  it('refuses to start when the env file is readable by others, naming the file and the fix', () => {
    const file = path.join(tempDir(), 'reconcile.env');
    fs.writeFileSync(file, Object.entries(entra).map(([key, value]) => `${key}=${value}`).join('\n'));
    fs.chmodSync(file, 0o640);
    const result = runCli(['serve', '--port', '3199'], { dataDir: tempDir(), env: { RECONCILE_ENV_FILE: file } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`env file ${file}: mode 0640 lets other users read secrets; run chmod 600 ${file}`);
    expect(result.stderr).not.toContain(entra.ENTRA_CLIENT_SECRET);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses to start with a half-configured sign-in, before anything listens', () => {
    const result = runCli(['serve', '--port', '3199'], { dataDir: tempDir(), env: { ENTRA_TENANT_ID: entra.ENTRA_TENANT_ID } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Entra sign-in \(RECONCILE_AUTH=entra\) needs ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, NEXTAUTH_URL, NEXTAUTH_SECRET too/);
  });

  it('refuses to start without RECONCILE_AUTH rather than falling back to local mode', () => {
    const result = runCli(['serve', '--port', '3199'], { dataDir: tempDir() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/RECONCILE_AUTH is not set and no Entra ID sign-in is configured/);
  });

  it('reads a 0600 env file and gets past the secrets check', () => {
    const file = path.join(tempDir(), 'reconcile.env');
    fs.writeFileSync(file, Object.entries(entra).map(([key, value]) => `${key}=${value}`).join('\n'), { mode: 0o600 });
    // An empty build directory makes serve stop right after the configuration checks.
    const result = runCli(['serve', '--port', '3199'], {
      dataDir: tempDir(),
      env: { RECONCILE_ENV_FILE: file, RECONCILE_WEB_BUILD_DIR: tempDir() },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no web build in/);
  });

  it('refuses to listen beyond loopback in local mode', () => {
    const result = runCli(['serve', '--host', '192.168.1.10', '--port', '3199'], { dataDir: tempDir(), env: { RECONCILE_AUTH: 'local' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/local sign-in mode listens only on a loopback address, not 192\.168\.1\.10/);
  });
});
