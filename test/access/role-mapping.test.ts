import { describe, expect, it, vi } from 'vitest';
import { accessSchema } from '../../engine/config/file.ts';
import { claimList, mapRoles } from '../../lib/auth/role-mapping.ts';
import { roleAtLeast } from '../../lib/auth/roles.ts';

vi.mock('next-auth/providers/azure-ad', () => ({ default: () => ({}) }));
const { sessionMaxAgeSeconds, sessionUser } = await import('../../lib/auth/options.ts');

const owner = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';
const helper = '9b2c6f10-5e1d-4b8a-8c3e-2d7a1f0e4b55';
const access = accessSchema.parse({
  roles: {
    viewer: ['Reconcile.Viewer'],
    reviewer: ['6f1c1a0e-reviewers-group'],
    operator: ['Reconcile.Operator'],
    admin: ['Reconcile.Admin'],
  },
  users: { [owner]: 'admin', [helper]: 'reviewer' },
});

const stranger = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const identity = (oid: string, appRoles: string[] = [], groups: string[] = []) => ({ oid, appRoles, groups });

describe('role mapping', () => {
  it('maps app roles, group ids and users configured by object id', () => {
    expect(mapRoles(identity(stranger, ['Reconcile.Viewer']), access)).toEqual(['viewer']);
    expect(mapRoles(identity(stranger, [], ['6f1c1a0e-reviewers-group']), access)).toEqual(['reviewer']);
    expect(mapRoles(identity(stranger, ['Reconcile.Operator', 'Reconcile.Viewer']), access)).toEqual(['viewer', 'operator']);
    expect(mapRoles(identity(owner.toLowerCase()), access)).toEqual(['admin']);
    expect(mapRoles(identity(helper, ['Reconcile.Operator']), access)).toEqual(['reviewer', 'operator']);
  });

  it('gives nothing to an account that matches nothing, and never matches a role by its own name', () => {
    expect(mapRoles(identity(stranger, ['admin', 'operator'], ['admin']), access)).toEqual([]);
    expect(mapRoles(identity(stranger, ['Reconcile.Admin']), accessSchema.parse({}))).toEqual([]);
    expect(mapRoles(identity(''), access)).toEqual([]);
  });

  it('refuses users configured by e-mail, saying how to find the object id', () => {
    const byEmail = accessSchema.safeParse({ users: { 'owner@example.test': 'admin' } });
    expect(byEmail.success).toBe(false);
    expect(byEmail.error!.issues[0]!.path).toEqual(['users', 'owner@example.test']);
    expect(byEmail.error!.issues[0]!.message).toMatch(/^give users by their Entra object id \(Entra admin center → Users → the user → Object ID\), not by e-mail/);
    expect(accessSchema.safeParse({ users: { 'not-a-guid': 'admin' } }).error!.issues[0]!.message).toMatch(/not an Entra object id/);
  });

  it('treats roles as cumulative', () => {
    const roles = mapRoles(identity(stranger, ['Reconcile.Operator']), access);
    expect(roleAtLeast(roles, 'viewer')).toBe(true);
    expect(roleAtLeast(roles, 'operator')).toBe(true);
    expect(roleAtLeast(roles, 'admin')).toBe(false);
  });

  it('reads only string lists from claims', () => {
    expect(claimList(['a', 1, 'b', null])).toEqual(['a', 'b']);
    expect(claimList('Reconcile.Admin')).toEqual([]);
    expect(claimList(undefined)).toEqual([]);
  });
});

describe('sessions', () => {
  const now = Date.UTC(2026, 11, 3, 12);
  const token = (values: Record<string, unknown>) => ({ sub: stranger, email: 'someone@example.test', name: 'Someone', signedInAt: now / 1000 - 60, ...values });

  it('grant by object id, never by the e-mail the token carries', () => {
    // The owner's address on another account (renamed, reassigned, or a guest with that e-mail).
    expect(sessionUser(token({ email: 'owner@example.test' }), access, now)?.roles).toEqual([]);
    expect(sessionUser(token({ sub: owner, email: 'renamed@example.test' }), access, now)).toEqual({ id: owner, email: 'renamed@example.test', name: 'Someone', roles: ['admin'] });
  });

  it('end an hour after sign-in however active they were, so a role removed in Entra does not outlive it', () => {
    expect(sessionMaxAgeSeconds).toBe(3600);
    expect(sessionUser(token({ signedInAt: now / 1000 - 3599 }), access, now)).not.toBeNull();
    expect(sessionUser(token({ signedInAt: now / 1000 - 3601 }), access, now)).toBeNull();
    // Sessions from before sign-in times were recorded, and tokens without an object id, are over.
    expect(sessionUser(token({ signedInAt: undefined }), access, now)).toBeNull();
    expect(sessionUser(token({ sub: undefined }), access, now)).toBeNull();
  });
});
