/**
 * Turns who someone is at the identity provider (object id, app roles, group ids) into Reconcile
 * roles, using the `access` section of the config. Nothing matches by default: a signed-in user
 * without a mapped role can see nothing. The e-mail address is never consulted: it is a display
 * name, which users and admins can change and which can be given to someone else.
 */
import type { AccessConfig } from '../../engine/config/index.ts';
import { roles, type Role } from './roles.ts';

export interface IdentityClaims {
  /** Entra object id (`oid`): the user's immutable id in the tenant. */
  oid: string;
  /** Entra app roles (`roles` claim of the ID token). */
  appRoles: readonly string[];
  /** Entra group object ids (`groups` claim). */
  groups: readonly string[];
}

export function mapRoles(identity: IdentityClaims, access: AccessConfig): Role[] {
  const held = new Set([...identity.appRoles, ...identity.groups]);
  const oid = identity.oid.toLowerCase();
  const direct = oid === '' ? undefined : Object.entries(access.users).find(([id]) => id.toLowerCase() === oid)?.[1];
  return roles.filter((role) => role === direct || access.roles[role].some((name) => held.has(name)));
}

/** Reads the `roles` / `groups` claims of an ID token; anything that is not a string list counts as none. */
export function claimList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
