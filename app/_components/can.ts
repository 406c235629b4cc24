import 'server-only';
import { currentActor } from '@/lib/auth/actor.ts';
import { roleAtLeast, type Role } from '@/lib/auth/roles.ts';

/** Whether the signed-in person holds a role (pages pass this to client views to enable buttons). */
export async function can(role: Role): Promise<boolean> {
  const actor = await currentActor();
  return actor !== null && roleAtLeast(actor.roles, role);
}
