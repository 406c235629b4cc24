/** Roles are cumulative: each one can do everything the ones before it can. */
export const roles = ['viewer', 'reviewer', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

export function roleAtLeast(have: readonly Role[], need: Role): boolean {
  const needed = roles.indexOf(need);
  return have.some((role) => roles.indexOf(role) >= needed);
}
