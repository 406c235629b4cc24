// How the UI shows paths: relative to the space, the space root included (a duplicate cluster
// spanning sources has the space itself as its common folder).
import { describe, expect, it } from 'vitest';
import { spaceRelative } from '../../app/_components/space.tsx';

describe('spaceRelative', () => {
  it('shows paths in the space relative to it, the space itself as "."', () => {
    expect(spaceRelative('/space', '/space/mike/docs/a.txt')).toBe('mike/docs/a.txt');
    expect(spaceRelative('/space/', '/space/mike')).toBe('mike');
    expect(spaceRelative('/space', '/space')).toBe('.');
  });

  it('leaves other paths as they are', () => {
    expect(spaceRelative('/space', '/spaces/x')).toBe('/spaces/x');
    expect(spaceRelative('/space', '/flux/db')).toBe('/flux/db');
    expect(spaceRelative('', '/space/mike')).toBe('/space/mike');
  });
});
