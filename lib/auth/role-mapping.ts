/**
 * Turns who someone is at the identity provider (Entra app roles, group ids, e-mail) into
 * Reconcile roles, using the `access` section of the config. Nothing matches by default: a
 * signed-in user without a mapped role can see nothing.
 */
import type { AccessConfig } from '../../engine/config/index.ts';
import { roles, type Role } from './roles.ts';

export interface IdentityClaims {
  email: string;
  /** Entra app roles (`roles` claim of the ID token). */
  appRoles: readonly string[];
  /** Entra group object ids (`groups` claim). */
  groups: readonly string[];
}

export function mapRoles(identity: IdentityClaims, access: AccessConfig): Role[] {
  const held = new Set([...identity.appRoles, ...identity.groups]);
  const email = identity.email.toLowerCase();
  const direct = Object.entries(access.users).find(([address]) => address.toLowerCase() === email)?.[1];
  return roles.filter((role) => role === direct || access.roles[role].some((name) => held.has(name)));
}

/** Reads the `roles` / `groups` claims of an ID token; anything that is not a string list counts as none. */
export function claimList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
