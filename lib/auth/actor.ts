/**
 * Who is asking. A request becomes an Actor only after authentication ran; route handlers and
 * pages get one from `currentActor()` and check roles with `roleAtLeast` (roles.ts).
 */
import 'server-only';
import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { authOptions } from './options.ts';
import { localModeRefusal } from './request-guard.ts';
import { roles, type Role } from './roles.ts';
import { accessSettings } from './settings.ts';

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

/**
 * The signed-in user, or null without a session. proxy.ts has already checked Cloudflare Access
 * and, in local mode, that the request was made on this machine; that check is repeated here so a
 * request the proxy did not see never becomes the local operator.
 */
export async function currentActor(requestHeaders?: Headers): Promise<Actor | null> {
  if (accessSettings().mode === 'local') return localModeRefusal(requestHeaders ?? (await headers())) ? null : localActor;
  const session = await getServerSession(authOptions());
  if (!session?.user?.id || !session.user.email) return null;
  return { ...session.user, mode: 'entra' };
}

