import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCloudflareAccess } from '../../lib/auth/cloudflare.ts';
import { cloudflareSettings, type CloudflareAccessSettings } from '../../lib/auth/settings.ts';
import { loadEnv } from '../../engine/config/index.ts';
import { startAccessTeam, tamper, teamAudience, teamDomain, type AccessTeam } from './keys.ts';

let team: AccessTeam;
let settings: CloudflareAccessSettings;

beforeAll(async () => {
  team = await startAccessTeam();
  settings = cloudflareSettings(
    loadEnv({ ...process.env, CF_ACCESS_TEAM_DOMAIN: teamDomain, CF_ACCESS_AUD: teamAudience, CF_ACCESS_JWKS_URL: team.jwksUrl }),
  )!;
});
afterAll(() => team.close());

describe('Cloudflare Access token check', () => {
  it('derives issuer and key set address from the team name in any spelling', () => {
    for (const spelling of ['myteam', 'myteam.cloudflareaccess.com', 'https://myteam.cloudflareaccess.com/']) {
      const derived = cloudflareSettings(loadEnv({ ...process.env, CF_ACCESS_TEAM_DOMAIN: spelling, CF_ACCESS_AUD: 'aud' }))!;
      expect(derived.issuer).toBe('https://myteam.cloudflareaccess.com');
      expect(derived.jwksUrl).toBe('https://myteam.cloudflareaccess.com/cdn-cgi/access/certs');
    }
  });

  it('accepts a valid token and returns its e-mail in lower case', async () => {
    const result = await checkCloudflareAccess(await team.sign({ email: 'Viewer@Example.test' }), settings);
    expect(result).toEqual({ ok: true, email: 'viewer@example.test', direct: false });
  });

  it.each([
    ['expired', { email: 'viewer@example.test', expiresIn: -120 }, /ERR_JWT_EXPIRED/],
    ['wrong audience', { email: 'viewer@example.test', audience: 'someone-elses-app' }, /ERR_JWT_CLAIM_VALIDATION_FAILED/],
    ['wrong issuer', { email: 'viewer@example.test', issuer: 'https://evil.cloudflareaccess.com' }, /ERR_JWT_CLAIM_VALIDATION_FAILED/],
    ['signed by another key', { email: 'viewer@example.test', foreignKey: true }, /ERR_JWS_SIGNATURE_VERIFICATION_FAILED|ERR_JWKS_NO_MATCHING_KEY/],
    ['without e-mail', {}, /no e-mail/],
  ])('refuses a token that is %s', async (_name, claims, reason) => {
    const result = await checkCloudflareAccess(await team.sign(claims), settings);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('refuses a tampered token, garbage and a missing header', async () => {
    const tampered = await checkCloudflareAccess(tamper(await team.sign({ email: 'viewer@example.test' })), settings);
    expect(tampered).toMatchObject({ ok: false, reason: expect.stringMatching(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/) });
    expect(await checkCloudflareAccess('not.a.jwt', settings)).toMatchObject({ ok: false });
    expect(await checkCloudflareAccess(null, settings)).toEqual({ ok: false, reason: 'missing Cloudflare Access token' });
  });

  it('lets a request without the header through only when direct access is allowed, and still refuses a bad one', async () => {
    const direct = { ...settings, allowDirect: true };
    expect(await checkCloudflareAccess(null, direct)).toEqual({ ok: true, email: undefined, direct: true });
    expect(await checkCloudflareAccess(await team.sign({ email: 'a@example.test', expiresIn: -120 }), direct)).toMatchObject({ ok: false });
  });

  it('fails closed when the key set cannot be fetched', async () => {
    const unreachable = { ...settings, jwksUrl: 'http://127.0.0.1:1/cdn-cgi/access/certs' };
    expect(await checkCloudflareAccess(await team.sign({ email: 'viewer@example.test' }), unreachable)).toMatchObject({ ok: false });
  });
});
