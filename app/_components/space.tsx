'use client';
import { createContext, useContext } from 'react';

const SpaceContext = createContext('');

export const SpaceProvider = SpaceContext.Provider;

/** Shows absolute paths in the space relative to it (`mike/docs/a.txt`), others as they are. */
export function useDisplayPath(): (absolute: string) => string {
  const space = useContext(SpaceContext).replace(/\/+$/, '');
  return (absolute) => (space && absolute.startsWith(`${space}/`) ? absolute.slice(space.length + 1) : absolute);
}
