import { describe, expect, it } from 'vitest';
import { accessSchema } from '../../engine/config/file.ts';
import { claimList, mapRoles } from '../../lib/auth/role-mapping.ts';
import { roleAtLeast } from '../../lib/auth/roles.ts';

const access = accessSchema.parse({
  roles: {
    viewer: ['Reconcile.Viewer'],
    reviewer: ['6f1c1a0e-reviewers-group'],
    operator: ['Reconcile.Operator'],
    admin: ['Reconcile.Admin'],
  },
  users: { 'Owner@Example.test': 'admin', 'helper@example.test': 'reviewer' },
});

const identity = (email: string, appRoles: string[] = [], groups: string[] = []) => ({ email, appRoles, groups });

describe('role mapping', () => {
  it('maps app roles, group ids and configured users', () => {
    expect(mapRoles(identity('a@example.test', ['Reconcile.Viewer']), access)).toEqual(['viewer']);
    expect(mapRoles(identity('a@example.test', [], ['6f1c1a0e-reviewers-group']), access)).toEqual(['reviewer']);
    expect(mapRoles(identity('a@example.test', ['Reconcile.Operator', 'Reconcile.Viewer']), access)).toEqual(['viewer', 'operator']);
    expect(mapRoles(identity('owner@example.test'), access)).toEqual(['admin']);
    expect(mapRoles(identity('helper@example.test', ['Reconcile.Operator']), access)).toEqual(['reviewer', 'operator']);
  });

  it('gives nothing to an account that matches nothing, and never matches a role by its own name', () => {
    expect(mapRoles(identity('stranger@example.test', ['admin', 'operator'], ['admin']), access)).toEqual([]);
    expect(mapRoles(identity('stranger@example.test', ['Reconcile.Admin']), accessSchema.parse({}))).toEqual([]);
  });

  it('treats roles as cumulative', () => {
    const roles = mapRoles(identity('a@example.test', ['Reconcile.Operator']), access);
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
