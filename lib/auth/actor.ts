/**
 * Who is asking. A request becomes an Actor only after authentication ran; route handlers and
 * pages get one from `currentActor()` and check roles with `roleAtLeast`.
 */
import 'server-only';
import { authMode } from '../../engine/config/index.ts';
import { serverConfig } from '../config.ts';
import { roles, type Role } from './roles.ts';

export interface Actor {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  mode: 'local' | 'entra';
}

/** Local mode (no identity provider): the operator at the machine, with every role. */
export const localActor: Actor = {
  id: 'local',
  email: 'local@localhost',
  name: 'Local operator',
  roles: [...roles],
  mode: 'local',
};

export async function currentActor(): Promise<Actor | null> {
  if (authMode(serverConfig().env) === 'local') return localActor;
  return null; // Entra sign-in arrives with the access-control work.
}
