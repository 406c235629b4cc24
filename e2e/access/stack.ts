/**
 * What the access e2e specs run against: a local OpenID Connect provider standing in for Entra
 * (oauth2-mock-server, real code flow with PKCE), a local Cloudflare Access key set, and real
 * `reconcile serve` processes with the environment each scenario needs.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import Database from 'better-sqlite3';
import { OAuth2Server } from 'oauth2-mock-server';
import { e2ePort } from '../../playwright.config.ts';
import type { Role } from '../../lib/auth/roles.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Values only these tests use; the bundle and log checks look for them. */
export const testSecrets = {
  NEXTAUTH_SECRET: 'e2e-nextauth-secret-3c9f1a7b52d84e06b1f2a9c4d7e8f015',
  ENTRA_CLIENT_SECRET: 'e2e-entra-client-secret-8d41f0c2a6b94f3e',
} as const;
export const clientId = 'reconcile-e2e-client';
export const tenantId = '7f3c2b1a-0000-4000-8000-00000000e2e0';

export type Persona = Role | 'norole';

export interface TestUser {
  oid: string;
  email: string;
  name: string;
  roles: string[];
  groups: string[];
}

export const reviewersGroup = '6f1c1a0e-9d2b-4c3a-8e7f-reviewers000';

/** One user per role, each reaching it a different way (app role, group, config entry by object id). */
export const users: Record<Persona, TestUser> = {
  viewer: { oid: '0b6d1f4e-0000-4000-8000-00000000e2e1', email: 'viewer@example.test', name: 'Vera Viewer', roles: ['Reconcile.Viewer'], groups: [] },
  reviewer: { oid: '0b6d1f4e-0000-4000-8000-00000000e2e2', email: 'reviewer@example.test', name: 'Rita Reviewer', roles: [], groups: [reviewersGroup] },
  operator: { oid: '0b6d1f4e-0000-4000-8000-00000000e2e3', email: 'operator@example.test', name: 'Otto Operator', roles: ['Reconcile.Operator'], groups: [] },
  admin: { oid: '0b6d1f4e-0000-4000-8000-00000000e2e4', email: 'admin@example.test', name: 'Ada Admin', roles: [], groups: [] },
  norole: { oid: '0b6d1f4e-0000-4000-8000-00000000e2e5', email: 'norole@example.test', name: 'Nora Nobody', roles: ['SomeOtherApp.User'], groups: ['unrelated-group'] },
};

/** Another account carrying the admin's e-mail address (renamed, reassigned, a guest): it gets no role. */
export const impostor: TestUser = { ...users.admin, oid: '0b6d1f4e-0000-4000-8000-00000000e2e6', name: 'Ivy Impostor' };

/** The `access` section every test config shares: one way in per role. */
const accessSection = [
  'access:',
  '  roles:',
  '    viewer: [Reconcile.Viewer]',
  `    reviewer: ["${reviewersGroup}"]`,
  '    operator: [Reconcile.Operator]',
  '    admin: [Reconcile.Admin]',
  '  users:',
  `    ${users.admin.oid}: admin   # ${users.admin.email}`,
  '',
].join('\n');

function runCli(dataDir: string, args: string[]): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'bin/reconcile.js'), '--quiet', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', RECONCILE_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** A file name from someone else's machine, aimed at every export: HTML, a formula, a pipe, a newline, a code fence. */
export const hostileName = '=HYPERLINK("evil.example")<img src=x onerror=alert(1)>|two\n```\nlines';
export const hostileTag = '<img src=x onerror=alert(1)>';

export interface LocalCatalog {
  file: string;
  space: string;
  dataDir: string;
  /** Outside the space: `secret.txt` (holding `secret`) and a FIFO `pipe`, which a server that opened it would hang on. */
  outside: string;
  secret: string;
  /** Catalogued entry ids by path relative to the `mike` source. */
  entries: Record<string, number>;
}

/**
 * A small space scanned and planned into its own catalog, for local-mode attacks: a text file, two
 * 64 KiB texts with no line in common, symbolic links out of the space, and hostile file names (an
 * unfinished download and an iCloud stub, which lands on the re-download list).
 */
export function writeLocalCatalog(dir: string): LocalCatalog {
  const space = path.join(dir, 'space');
  const outside = path.join(dir, 'outside');
  const dataDir = path.join(dir, 'data');
  const secret = 'OUTSIDE-THE-SPACE-7d1f0b';
  const docs = path.join(space, 'mike/docs');
  fs.mkdirSync(docs, { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(outside, 'secret.txt'), `${secret}\n`);
  execFileSync('mkfifo', [path.join(outside, 'pipe')]);
  fs.writeFileSync(path.join(docs, 'inside.txt'), 'inside\n');
  const noCommonLine = (prefix: string) => Array.from({ length: 8192 }, (_, index) => `${prefix}${String(index).padStart(6, '0')}\n`).join('');
  fs.writeFileSync(path.join(docs, 'left.txt'), noCommonLine('a'));
  fs.writeFileSync(path.join(docs, 'right.txt'), noCommonLine('b'));
  fs.writeFileSync(path.join(docs, `${hostileName}.part`), 'half a download');
  fs.writeFileSync(path.join(space, 'mike', `.${hostileName.split('\n')[0]}.txt.icloud`), '');
  fs.writeFileSync(path.join(space, 'uncatalogued.txt'), `${secret}\n`);
  for (const [link, target] of [
    ['mike/docs/link-to-secret.txt', path.join(outside, 'secret.txt')],
    ['mike/docs/link-to-pipe', path.join(outside, 'pipe')],
    ['mike/outside-dir', outside],
    ['mike/docs/relative-out.txt', '../../../outside/secret.txt'],
  ] as const) {
    fs.symlinkSync(target, path.join(space, link));
  }
  const file = path.join(dir, 'reconcile.yaml');
  const sources = 'sources:\n  - { id: mike, kind: manual, class: local, landing: mike }\n';
  fs.writeFileSync(file, `space: ${JSON.stringify(space)}\n${sources}${accessSection}`);
  runCli(dataDir, ['--config', file, 'scan']);
  runCli(dataDir, ['--config', file, 'plan']);
  const db = new Database(path.join(dataDir, 'reconcile.db'), { readonly: true });
  const rows = db.prepare("SELECT id, path FROM Entry WHERE sourceId = 'mike' AND removedScanId IS NULL").all() as { id: number; path: string }[];
  db.close();
  return { file, space, dataDir, outside, secret, entries: Object.fromEntries(rows.map((row) => [row.path, row.id])) };
}

/** The demo scenario, scanned and planned into `dataDir`, with the test access section added. */
export function writeDemoCatalog(dir: string): { file: string; dataDir: string } {
  const dataDir = path.join(dir, 'data');
  const cli = (args: string[]) => runCli(dataDir, args);
  cli(['demo', '--out', path.join(dir, 'demo')]);
  const file = path.join(dir, 'demo', 'reconcile.yaml');
  fs.appendFileSync(file, `\n${accessSection}`);
  cli(['--config', file, 'scan']);
  cli(['--config', file, 'plan']);
  return { file, dataDir };
}

export interface IdentityProvider {
  issuer: string;
  /** Who the next authorization request signs in as. */
  signInAs(user: TestUser): void;
  /** Query strings of the authorization requests received, to check PKCE and state. */
  authorizeRequests: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startIdentityProvider(port: number): Promise<IdentityProvider> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(port, '127.0.0.1');
  let next: TestUser | undefined;
  const byCode = new Map<string, TestUser>();
  const authorizeRequests: Record<string, unknown>[] = [];
  server.service.on('beforeAuthorizeRedirect', (redirect: { url: URL }, req: IncomingMessage & { query: Record<string, unknown> }) => {
    authorizeRequests.push({ ...req.query });
    const code = redirect.url.searchParams.get('code');
    if (code && next) byCode.set(code, next);
  });
  server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }, req: IncomingMessage & { body: Record<string, string> }) => {
    const user = byCode.get(req.body.code ?? '');
    if (!user || token.payload.aud !== clientId) return;
    Object.assign(token.payload, {
      sub: `pairwise-${user.oid}`,
      oid: user.oid,
      tid: tenantId,
      email: user.email,
      preferred_username: user.email,
      name: user.name,
      ...(user.roles.length ? { roles: user.roles } : {}),
      ...(user.groups.length ? { groups: user.groups } : {}),
    });
  });
  return {
    issuer: server.issuer.url!,
    signInAs: (user) => {
      next = user;
    },
    authorizeRequests,
    stop: () => server.stop(),
  };
}

export interface AppServer {
  url: string;
  dataDir: string;
  /** Everything the server printed (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** `reconcile serve` as a real process group; stop() ends the CLI and the Next.js child it started. */
export async function startApp(options: { port: number; env: Record<string, string>; configFile?: string; dataDir?: string }): Promise<AppServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-access-data-'));
  const url = `http://127.0.0.1:${options.port}`;
  const args = [path.join(repoRoot, 'bin/reconcile.js'), ...(options.configFile ? ['--config', options.configFile] : []), 'serve', '--port', String(options.port)];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      RECONCILE_DATA_DIR: dataDir,
      ...(process.env.RECONCILE_WEB_BUILD_DIR ? { RECONCILE_WEB_BUILD_DIR: process.env.RECONCILE_WEB_BUILD_DIR } : {}),
      ...options.env,
    },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const app: AppServer = {
    url,
    dataDir,
    output: () => output,
    stop: async () => {
      // The whole process group: the CLI and the Next.js server it started. SIGKILL if slow.
      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        if (child.exitCode !== null || child.signalCode !== null) return;
        try {
          process.kill(-child.pid!, signal);
        } catch {
          return; // the group is gone already
        }
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`reconcile serve exited early (${child.exitCode}):\n${output}`);
    try {
      await fetch(`${url}/favicon.ico`, { redirect: 'manual' });
      return app;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  await app.stop();
  throw new Error(`reconcile serve did not answer on ${url}:\n${output}`);
}

/**
 * The access specs' ports, next to the suite's own (RECONCILE_E2E_PORT): +2 to +6 (+1 belongs to
 * completeness-weak, +7 to +9 to advice, +10 to import-warnings), so several checkouts can run the
 * suite side by side.
 */
export function accessPorts(parallelIndex: number) {
  if (parallelIndex > 0) throw new Error('the access specs run in one Playwright worker (playwright.config.ts: workers: 1)');
  const base = e2ePort + 2;
  return { identityProvider: base, accessTeam: base + 1, app: base + 2, directApp: base + 3, localApp: base + 4 };
}

export function entraEnv(app: { port: number }, idp: IdentityProvider): Record<string, string> {
  return {
    RECONCILE_AUTH: 'entra',
    ENTRA_TENANT_ID: tenantId,
    ENTRA_CLIENT_ID: clientId,
    ENTRA_CLIENT_SECRET: testSecrets.ENTRA_CLIENT_SECRET,
    ENTRA_ISSUER: idp.issuer,
    NEXTAUTH_URL: `http://127.0.0.1:${app.port}`,
    NEXTAUTH_SECRET: testSecrets.NEXTAUTH_SECRET,
  };
}
