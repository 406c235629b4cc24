// The page after sign-in is a path on this site, however the callbackUrl is spelled.
import { describe, expect, it } from 'vitest';
import { safeCallback } from '../../lib/auth/callback.ts';

const origin = 'https://reconcile.example.test';

describe('sign-in callback', () => {
  it('keeps paths on this site, with their query', () => {
    expect(safeCallback('/duplicates?kind=duplicate', origin)).toBe('/duplicates?kind=duplicate');
    expect(safeCallback('/', origin)).toBe('/');
    expect(safeCallback(`${origin}/audit`, origin)).toBe('/audit');
    expect(safeCallback('/%2F%2Fevil.example', origin)).toBe('/%2F%2Fevil.example');
  });

  it('sends everything that would leave the site home instead', () => {
    for (const value of [
      '/.//evil.example',
      '/./\\evil.example',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/..//evil.example/x',
      'https://evil.example/',
      `${origin}.evil.example/`,
      'javascript:alert(1)',
      'http://reconcile.example.test/',
      ' //evil.example',
      '\t//evil.example',
    ]) {
      expect(safeCallback(value, origin), JSON.stringify(value)).toBe('/');
    }
    expect(safeCallback(['/a', '/b'], origin)).toBe('/');
    expect(safeCallback(undefined, origin)).toBe('/');
    expect(safeCallback('/audit', undefined)).toBe('/');
  });
});
