/**
 * Playwright fixtures for the access specs. Each worker starts its own identity provider,
 * Cloudflare Access key set and `reconcile serve` processes on its own ports (accessPorts), and
 * signs each persona in once through the real browser flow; tests reuse those sessions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { startAccessTeam, teamAudience, teamDomain, type AccessTeam } from '../../test/access/keys.ts';
import {
  accessPorts,
  entraEnv,
  startApp,
  startIdentityProvider,
  users,
  writeDemoCatalog,
  writeLocalCatalog,
  type AppServer,
  type IdentityProvider,
  type LocalCatalog,
  type Persona,
  type TestUser,
} from './stack.ts';

export interface AccessStack {
  idp: IdentityProvider;
  team: AccessTeam;
  configFile: string;
  /**
   * Entra sign-in behind Cloudflare Access (requests without the Access header are refused), on
   * the demo scenario's catalog, scanned and planned.
   */
  app: AppServer;
  /**
   * The same, but direct access without the header is allowed (still signed in). Its settings
   * and secrets come from a mode 0600 env file, as on the server, not from the environment.
   */
  directApp: AppServer;
  /** Session cookie header per persona, from a real sign-in. */
  sessions: Record<Persona, string>;
  /** A valid Cloudflare Access header for this e-mail. */
  accessHeader(email: string): Promise<Record<string, string>>;
}

export const chromium = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** The real code flow: app → /signin → button → identity provider → callback → back in the app. */
export async function signIn(page: Page, app: AppServer, idp: IdentityProvider, who: Persona | TestUser, from = '/'): Promise<void> {
  idp.signInAs(typeof who === 'string' ? users[who] : who);
  await page.goto(`${app.url}${from}`);
  await expect(page).toHaveURL(`${app.url}/signin?callbackUrl=${encodeURIComponent(from)}`);
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await page.waitForURL((url) => url.origin === app.url && !url.pathname.startsWith('/signin') && !url.pathname.startsWith('/api/auth'));
}

/** A page of a new browser context signed in as `persona`, allowed downloads and the clipboard (copy buttons). */
export async function signedInPage(browser: Browser, app: AppServer, idp: IdentityProvider, persona: Persona): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  const page = await context.newPage();
  await signIn(page, app, idp, persona);
  return page;
}

async function signInAll(browser: Browser, stack: Omit<AccessStack, 'sessions'>): Promise<Record<Persona, string>> {
  const sessions = {} as Record<Persona, string>;
  for (const persona of Object.keys(users) as Persona[]) {
    const context = await browser.newContext({ extraHTTPHeaders: await stack.accessHeader(users[persona].email) });
    const page = await context.newPage();
    await signIn(page, stack.app, stack.idp, persona);
    const cookies = await context.cookies(stack.app.url);
    sessions[persona] = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
    await context.close();
  }
  return sessions;
}

function writeEnvFile(dir: string, values: Record<string, string>): string {
  const file = path.join(dir, 'reconcile.env');
  fs.writeFileSync(file, Object.entries(values).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join('\n'), { mode: 0o600 });
  return file;
}

export const test = base.extend<object, { access: AccessStack; localApp: AppServer & LocalCatalog }>({
  launchOptions: [chromium, { scope: 'worker' }],
  access: [
    async ({ browser }, use, workerInfo) => {
      const ports = accessPorts(workerInfo.parallelIndex);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-access-'));
      const demo = writeDemoCatalog(dir);
      const configFile = demo.file;
      const idp = await startIdentityProvider(ports.identityProvider);
      const team = await startAccessTeam(ports.accessTeam);
      const cloudflareEnv = { CF_ACCESS_TEAM_DOMAIN: teamDomain, CF_ACCESS_AUD: teamAudience, CF_ACCESS_JWKS_URL: team.jwksUrl };
      const [app, directApp] = await Promise.all([
        startApp({ port: ports.app, configFile, dataDir: demo.dataDir, env: { ...entraEnv({ port: ports.app }, idp), ...cloudflareEnv } }),
        startApp({ port: ports.directApp, configFile, env: { RECONCILE_ENV_FILE: writeEnvFile(dir, { ...entraEnv({ port: ports.directApp }, idp), ...cloudflareEnv, RECONCILE_ALLOW_DIRECT: '1' }) } }),
      ]);
      const accessHeader = async (email: string) => ({ 'cf-access-jwt-assertion': await team.sign({ email }) });
      const stack = { idp, team, configFile, app, directApp, accessHeader };
      try {
        await use({ ...stack, sessions: await signInAll(browser, stack) });
      } finally {
        await Promise.all([app.stop(), directApp.stop()]);
        await Promise.all([idp.stop(), team.close()]);
      }
    },
    { scope: 'worker', timeout: 300_000 },
  ],
  localApp: [
    async ({}, use, workerInfo) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-access-local-'));
      const catalog = writeLocalCatalog(dir);
      const app = await startApp({ port: accessPorts(workerInfo.parallelIndex).localApp, configFile: catalog.file, dataDir: catalog.dataDir, env: { RECONCILE_AUTH: 'local' } });
      try {
        await use({ ...app, ...catalog });
      } finally {
        await app.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

export { expect };
