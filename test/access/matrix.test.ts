// Every route handler and page under app/ must have a row in the authorization matrix, with the
// role its code declares; e2e/access-matrix.spec.ts then calls each row as every persona.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.ts';
import { handlerRows, pageRows, type Method } from './matrix.ts';

const methods: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function findFiles(dir: string, name: string): string[] {
  return fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return findFiles(relative, name);
    return entry.name === name ? [relative] : [];
  });
}

/** Methods a route file exports, however it spells the export. */
export function exportedMethods(source: string): Method[] {
  return methods.filter((method) =>
    new RegExp(`export\\s+(const|async\\s+function|function)\\s+${method}\\b|export\\s*\\{[^}]*\\bas\\s+${method}\\b|export\\s*\\{[^}]*\\b${method}\\b[^}]*\\}`).test(source),
  );
}

/** The role a handler declares: `export const GET = route({ role: 'viewer', … })` (or uploadGate(route(…))). */
export function declaredRole(source: string, method: Method): string | undefined {
  // Upload routes wrap theirs in uploadGate(), which runs proxy.ts's checks (proxy.ts does not see them).
  return new RegExp(`export\\s+const\\s+${method}\\s*=\\s*(?:uploadGate\\(\\s*)?route\\(\\s*\\{\\s*role:\\s*'([a-z]+)'`).exec(source)?.[1];
}

describe('authorization matrix', () => {
  const routeFiles = findFiles('app', 'route.ts');
  const pageFiles = findFiles('app', 'page.tsx');

  it('finds the handlers and pages it checks', () => {
    expect(routeFiles).toContain('app/api/sources/route.ts');
    expect(pageFiles).toContain('app/page.tsx');
  });

  it('has a row for every method of every route handler, with the role the handler declares', () => {
    const problems: string[] = [];
    for (const file of routeFiles) {
      const source = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      const exported = exportedMethods(source);
      if (exported.length === 0) problems.push(`${file}: exports no HTTP method the matrix knows`);
      for (const method of exported) {
        const rows = handlerRows.filter((row) => row.file === file && row.method === method);
        if (rows.length === 0) {
          problems.push(`${file} ${method}: no row in test/access/matrix.ts`);
          continue;
        }
        for (const row of rows) {
          if (row.role === 'public') continue;
          const role = declaredRole(source, method);
          if (!role) problems.push(`${file} ${method}: not declared as \`export const ${method} = route({ role: … })\``);
          else if (role !== row.role) problems.push(`${file} ${method}: handler declares ${role}, matrix says ${row.role}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has a row for every page', () => {
    const missing = pageFiles.filter((file) => !pageRows.some((row) => row.file === file));
    expect(missing.map((file) => `${file}: no row in test/access/matrix.ts`)).toEqual([]);
  });

  it('names only handlers and pages that exist, and keeps the public ones to sign-in itself', () => {
    const stale = [...handlerRows.map((row) => `${row.file} ${row.method}`), ...pageRows.map((row) => row.file)].filter((entry) => {
      const [file, method] = entry.split(' ') as [string, Method | undefined];
      if (!fs.existsSync(path.join(repoRoot, file))) return true;
      return method !== undefined && !exportedMethods(fs.readFileSync(path.join(repoRoot, file), 'utf8')).includes(method);
    });
    expect(stale).toEqual([]);
    const publicFiles = new Set([...handlerRows, ...pageRows].filter((row) => row.role === 'public').map((row) => row.file));
    expect([...publicFiles].sort()).toEqual(['app/access-denied/page.tsx', 'app/api/auth/[...nextauth]/route.ts', 'app/signin/page.tsx']);
  });

  it('recognises every way of exporting a method, so nothing slips past', () => {
    expect(exportedMethods('export const GET = route({ role: \'viewer\' }, h);')).toEqual(['GET']);
    expect(exportedMethods('export async function POST(request) {}')).toEqual(['POST']);
    expect(exportedMethods('export { handler as GET, handler as POST };')).toEqual(['GET', 'POST']);
    expect(exportedMethods('const DELETE = x; export { DELETE };')).toEqual(['DELETE']);
    expect(declaredRole("export const PATCH = route({ role: 'admin', body }, h)", 'PATCH')).toBe('admin');
  });
});
