/**
 * Who is asking. A request becomes an Actor only after authentication ran; route handlers and
 * pages get one from `currentActor()` and check roles with `roleAtLeast`.
 */
import 'server-only';
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { authOptions } from './options.ts';
import { roleAtLeast, roles, type Role } from './roles.ts';
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

/** The signed-in user, or null without a session. proxy.ts has already checked Cloudflare Access. */
export async function currentActor(): Promise<Actor | null> {
  if (accessSettings().mode === 'local') return localActor;
  const session = await getServerSession(authOptions());
  if (!session?.user?.id || !session.user.email) return null;
  return { ...session.user, mode: 'entra' };
}

/**
 * For pages: the actor when they hold `role`; otherwise the sign-in page (no session) or the
 * access-denied page (signed in, role missing). Call it first thing in a page that needs more
 * than the viewer role proxy.ts already requires.
 */
export async function requirePageRole(role: Role): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect('/signin');
  if (!roleAtLeast(actor.roles, role)) redirect(`/access-denied?need=${role}`);
  return actor;
}
