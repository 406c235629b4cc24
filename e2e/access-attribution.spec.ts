// Every decision and apply records who did it: the signed-in user's e-mail, taken from the
// session (never from the request), and only roles allowed to act leave a trace.
import { expect, test, type AccessStack } from './access/fixtures.ts';
import { users, type Persona } from './access/stack.ts';

interface AuditEntry {
  actor: string;
  action: string;
  targetId: string | null;
}

/** Calls the API as `persona`; `T` is the shape the test expects of the JSON reply. */
async function api<T = unknown>(access: AccessStack, persona: Persona, method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${access.app.url}${url}`, {
    method,
    headers: {
      ...(await access.accessHeader(users[persona].email)),
      cookie: access.sessions[persona],
      origin: access.app.url,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

test('decisions and applies are recorded under the signed-in user, and refused below the role', async ({ access }) => {
  const findings = await api<{ items: { id: string }[] }>(access, 'viewer', 'GET', '/api/findings?kind=duplicate&limit=5');
  expect(findings.status).toBe(200);
  const findingId: string = findings.json.items[0]!.id;

  // A viewer may not decide, whatever the request claims about who is asking.
  const refused = await api(access, 'viewer', 'POST', '/api/decisions', { findingId, verdict: 'approved' });
  expect(refused.status).toBe(403);
  const smuggled = await api(access, 'viewer', 'POST', '/api/decisions', { findingId, verdict: 'approved', decidedBy: users.admin.email });
  expect(smuggled.status).toBe(403);

  const decided = await api(access, 'reviewer', 'POST', '/api/decisions', { findingId, verdict: 'approved' });
  expect(decided.status).toBe(200);

  // Apply needs the operator role; the reviewer who approved cannot start it.
  expect((await api(access, 'reviewer', 'POST', '/api/apply', { confirm: true })).status).toBe(403);
  const applied = await api<{ state: string; runId: string }>(access, 'operator', 'POST', '/api/apply', { confirm: true });
  expect(applied.status).toBe(200);
  expect(applied.json.state).toBe('queued');
  const run = await api<{ createdBy: string }>(access, 'viewer', 'GET', `/api/apply/runs/${encodeURIComponent(applied.json.runId)}`);
  expect(run.json.createdBy).toBe(users.operator.email);

  const audit = await api<{ entries?: AuditEntry[]; items: AuditEntry[] }>(access, 'viewer', 'GET', '/api/audit?limit=500');
  expect(audit.status).toBe(200);
  const entries: AuditEntry[] = audit.json.entries ?? audit.json.items;
  expect(entries.some((entry) => entry.actor === users.reviewer.email && entry.targetId === findingId)).toBe(true);
  expect(entries.filter((entry) => entry.actor === users.viewer.email && /decision|decide|apply/.test(entry.action))).toEqual([]);
});
