'use client';
import { createContext, useContext } from 'react';

const SpaceContext = createContext('');

export const SpaceProvider = SpaceContext.Provider;

/**
 * A path in the space relative to it (`mike/docs/a.txt`; the space itself is `.`, as the common
 * folder of a cluster that spans sources), any other path as it is.
 */
export function spaceRelative(space: string, absolute: string): string {
  const root = space.replace(/\/+$/, '');
  if (!root) return absolute;
  if (absolute === root || absolute === `${root}/`) return '.';
  return absolute.startsWith(`${root}/`) ? absolute.slice(root.length + 1) : absolute;
}

/** Shows absolute paths in the space relative to it, others as they are. */
export function useDisplayPath(): (absolute: string) => string {
  const space = useContext(SpaceContext);
  return (absolute) => spaceRelative(space, absolute);
}
