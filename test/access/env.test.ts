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
  it('accepts local mode, full Entra sign-in, and Entra behind Cloudflare Access', () => {
    expect(check({})).not.toThrow();
    expect(check(entra)).not.toThrow();
    expect(check({ ...entra, CF_ACCESS_TEAM_DOMAIN: 'team', CF_ACCESS_AUD: 'aud', RECONCILE_ALLOW_DIRECT: '1' })).not.toThrow();
  });

  it('refuses half a configuration and says what is missing', () => {
    expect(check({ ENTRA_TENANT_ID: entra.ENTRA_TENANT_ID })).toThrow(/NEXTAUTH_URL, NEXTAUTH_SECRET, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET must be set/);
    expect(check({ ...entra, NEXTAUTH_SECRET: 'short' })).toThrow(/NEXTAUTH_SECRET: must be at least 32/);
    expect(check({ ...entra, NEXTAUTH_URL: 'reconcile.example.test' })).toThrow(/NEXTAUTH_URL: must be the app's absolute URL/);
    expect(check({ ...entra, CF_ACCESS_TEAM_DOMAIN: 'team' })).toThrow(/CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD must be set together/);
    expect(check({ CF_ACCESS_TEAM_DOMAIN: 'team', CF_ACCESS_AUD: 'aud' })).toThrow(/needs Entra ID sign-in/);
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
    expect(result.stderr).toMatch(/ENTRA_TENANT_ID is set, so NEXTAUTH_URL, NEXTAUTH_SECRET, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET must be set too/);
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
    const result = runCli(['serve', '--host', '192.168.1.10', '--port', '3199'], { dataDir: tempDir() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/local sign-in mode listens only on a loopback address, not 192\.168\.1\.10/);
  });
});
