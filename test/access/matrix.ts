/**
 * The authorization matrix: every route handler (per method) and every page, with the least role
 * it needs and what an allowed caller gets for the probe request below. test/access/matrix.test.ts
 * fails when a handler or page under app/ has no row here (or a row names one that is gone, or
 * disagrees with the role the code declares); e2e/access-matrix.spec.ts calls every row as
 * anonymous, a signed-in user without a role, viewer, reviewer, operator and admin.
 *
 * Adding a handler or page? Add one line below. `allowed` is the status an authorized caller gets
 * for the probe on an empty catalog: mutations are probed with a body that fails validation (400),
 * so the matrix proves the role check without changing anything.
 */
import type { Role } from '../../lib/auth/roles.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Persona = 'anonymous' | 'norole' | Role;
export const personas: readonly Persona[] = ['anonymous', 'norole', 'viewer', 'reviewer', 'operator', 'admin'];

export interface HandlerRow {
  /** The route file, relative to the repository root. */
  file: string;
  method: Method;
  /** Least role the handler declares with route({ role }); 'public' only for next-auth's own endpoints. */
  role: Role | 'public';
  /** Probe request path (with query string and path parameters filled in). */
  url: string;
  body?: unknown;
  /** Status for a caller holding the role. */
  allowed: number;
  /** For public rows: the status per persona. */
  statuses?: Partial<Record<Persona, number>>;
}

export interface PageRow {
  file: string;
  /** proxy.ts requires the viewer role for every page except sign-in itself; pages vary content, not access, by role. */
  role: 'viewer' | 'public';
  url: string;
  /** Status for a caller holding the role (pages redirect otherwise). */
  allowed: number;
  /** For public pages: the status per persona. */
  statuses?: Partial<Record<Persona, number>>;
}

const invalidBody = { probe: 'fails validation' };

export const handlerRows: HandlerRow[] = [
  // next-auth's own endpoints: reachable before sign-in (Cloudflare Access still applies).
  { file: 'app/api/auth/[...nextauth]/route.ts', method: 'GET', role: 'public', url: '/api/auth/providers', allowed: 200, statuses: { anonymous: 200, norole: 200, viewer: 200, reviewer: 200, operator: 200, admin: 200 } },
  { file: 'app/api/auth/[...nextauth]/route.ts', method: 'POST', role: 'public', url: '/api/auth/signout', body: {}, allowed: 302, statuses: { anonymous: 302, norole: 302, viewer: 302, reviewer: 302, operator: 302, admin: 302 } },

  { file: 'app/api/sources/route.ts', method: 'GET', role: 'viewer', url: '/api/sources', allowed: 200 },
  { file: 'app/api/dashboard/route.ts', method: 'GET', role: 'viewer', url: '/api/dashboard', allowed: 200 },
  { file: 'app/api/audit/route.ts', method: 'GET', role: 'viewer', url: '/api/audit', allowed: 200 },
  { file: 'app/api/jobs/route.ts', method: 'GET', role: 'viewer', url: '/api/jobs', allowed: 200 },
  { file: 'app/api/jobs/[id]/route.ts', method: 'GET', role: 'viewer', url: '/api/jobs/999999', allowed: 404 },
  { file: 'app/api/findings/route.ts', method: 'GET', role: 'viewer', url: '/api/findings', allowed: 200 },
  { file: 'app/api/findings/count/route.ts', method: 'GET', role: 'viewer', url: '/api/findings/count?kind=duplicate', allowed: 200 },
  { file: 'app/api/findings/at/route.ts', method: 'GET', role: 'viewer', url: '/api/findings/at?i=0', allowed: 200 },
  { file: 'app/api/findings/[id]/route.ts', method: 'GET', role: 'viewer', url: '/api/findings/no-such-finding', allowed: 404 },
  { file: 'app/api/files/preview/route.ts', method: 'GET', role: 'viewer', url: '/api/files/preview?file=entry:999999', allowed: 404 },
  { file: 'app/api/files/image/route.ts', method: 'GET', role: 'viewer', url: '/api/files/image?file=entry:999999', allowed: 404 },
  { file: 'app/api/files/diff/route.ts', method: 'GET', role: 'viewer', url: '/api/files/diff?a=entry:999998&b=entry:999999', allowed: 404 },
  { file: 'app/api/files/overlay/route.ts', method: 'GET', role: 'viewer', url: '/api/files/overlay?a=entry:999998&b=entry:999999', allowed: 404 },
  { file: 'app/api/files/thumbnail/route.ts', method: 'GET', role: 'viewer', url: '/api/files/thumbnail?file=entry:999999', allowed: 404 },
  { file: 'app/api/advice/[findingId]/route.ts', method: 'POST', role: 'viewer', url: '/api/advice/no-such-finding', allowed: 404 },
  { file: 'app/api/decisions/route.ts', method: 'POST', role: 'reviewer', url: '/api/decisions', body: invalidBody, allowed: 400 },
  { file: 'app/api/decisions/[findingId]/route.ts', method: 'DELETE', role: 'reviewer', url: '/api/decisions/no-such-finding', allowed: 404 },
  { file: 'app/api/decisions/bulk/route.ts', method: 'GET', role: 'reviewer', url: '/api/decisions/bulk', allowed: 200 },
  { file: 'app/api/decisions/bulk/route.ts', method: 'POST', role: 'reviewer', url: '/api/decisions/bulk', body: invalidBody, allowed: 400 },
  { file: 'app/api/apply/route.ts', method: 'GET', role: 'viewer', url: '/api/apply', allowed: 200 },
  { file: 'app/api/apply/route.ts', method: 'POST', role: 'operator', url: '/api/apply', body: invalidBody, allowed: 400 },
  { file: 'app/api/apply/rollback/route.ts', method: 'POST', role: 'operator', url: '/api/apply/rollback', body: invalidBody, allowed: 400 },
  { file: 'app/api/apply/runs/[id]/route.ts', method: 'GET', role: 'viewer', url: '/api/apply/runs/no-such-run', allowed: 404 },
  { file: 'app/api/recovery/route.ts', method: 'GET', role: 'viewer', url: '/api/recovery', allowed: 200 },
  { file: 'app/api/recovery/fetch/route.ts', method: 'POST', role: 'operator', url: '/api/recovery/fetch', body: invalidBody, allowed: 400 },
  { file: 'app/api/recovery/waivers/route.ts', method: 'GET', role: 'viewer', url: '/api/recovery/waivers', allowed: 200 },
  { file: 'app/api/recovery/waivers/route.ts', method: 'POST', role: 'operator', url: '/api/recovery/waivers', body: invalidBody, allowed: 400 },
  { file: 'app/api/recovery/waivers/route.ts', method: 'DELETE', role: 'operator', url: '/api/recovery/waivers', body: invalidBody, allowed: 400 },
  { file: 'app/api/report/route.ts', method: 'GET', role: 'viewer', url: '/api/report?format=json', allowed: 200 },
  { file: 'app/api/origin-files/[name]/route.ts', method: 'GET', role: 'operator', url: '/api/origin-files/reconcile-manifest.ps1', allowed: 200 },
  // Not seen by proxy.ts (uploads stream): its gate runs the same checks; an unknown source is refused before the body is read.
  { file: 'app/api/uploads/manifests/[sourceId]/route.ts', method: 'POST', role: 'operator', url: '/api/uploads/manifests/no-such-source', body: invalidBody, allowed: 404 },
];

export const pageRows: PageRow[] = [
  { file: 'app/signin/page.tsx', role: 'public', url: '/signin', allowed: 200, statuses: { anonymous: 200, norole: 307, viewer: 307, reviewer: 307, operator: 307, admin: 307 } },
  { file: 'app/access-denied/page.tsx', role: 'public', url: '/access-denied', allowed: 200, statuses: { anonymous: 307, norole: 200, viewer: 200, reviewer: 200, operator: 200, admin: 200 } },
  { file: 'app/page.tsx', role: 'viewer', url: '/', allowed: 200 },
  { file: 'app/duplicates/page.tsx', role: 'viewer', url: '/duplicates', allowed: 200 },
  { file: 'app/duplicates/[id]/page.tsx', role: 'viewer', url: '/duplicates/no-such-cluster', allowed: 200 },
  { file: 'app/conflicts/page.tsx', role: 'viewer', url: '/conflicts', allowed: 200 },
  { file: 'app/decisions/page.tsx', role: 'viewer', url: '/decisions', allowed: 200 },
  { file: 'app/apply/page.tsx', role: 'viewer', url: '/apply', allowed: 200 },
  { file: 'app/audit/page.tsx', role: 'viewer', url: '/audit', allowed: 200 },
  { file: 'app/findings/page.tsx', role: 'viewer', url: '/findings', allowed: 307 },
  { file: 'app/findings/[kind]/page.tsx', role: 'viewer', url: '/findings/placeholder', allowed: 200 },
  { file: 'app/findings/[kind]/[id]/page.tsx', role: 'viewer', url: '/findings/placeholder/no-such-finding', allowed: 200 },
  { file: 'app/sources/[id]/page.tsx', role: 'viewer', url: '/sources/count-zero-dev', allowed: 200 },
];

const rank: Record<Persona, number> = { anonymous: -2, norole: -1, viewer: 0, reviewer: 1, operator: 2, admin: 3 };

function permitted(row: HandlerRow | PageRow, persona: Persona): boolean {
  return row.role === 'public' || rank[persona] >= rank[row.role];
}

/** What each persona must get: 401/403 JSON from the API, redirects (307) for pages. */
export function expectedStatus(row: HandlerRow | PageRow, persona: Persona): number {
  if (row.role === 'public') {
    const status = row.statuses?.[persona];
    if (status === undefined) throw new Error(`matrix row ${row.url}: public rows list a status for every persona`);
    return status;
  }
  const isPage = !('method' in row);
  if (permitted(row, persona)) return row.allowed;
  if (persona === 'anonymous') return isPage ? 307 : 401;
  return isPage ? 307 : 403;
}

/** Where a refused page sends the browser: sign-in without a session, access-denied without the role. */
export function expectedRedirect(row: PageRow, persona: Persona): string | undefined {
  if (permitted(row, persona)) return undefined;
  return persona === 'anonymous' ? '/signin' : '/access-denied';
}
