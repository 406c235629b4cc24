/**
 * Where sign-in sends the browser afterwards. Only a path on this site: anything else would be an
 * open redirect. A path that starts with `//` (or `/\`) is read by browsers as another host, and
 * URL parsing makes one out of inputs like `/.//evil.example`, so the parsed path is checked too.
 */
export function safeCallback(value: unknown, origin: string | undefined): string {
  if (typeof value !== 'string' || !origin) return '/';
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin) return '/';
  const target = `${url.pathname}${url.search}`;
  return target.startsWith('/') && !/^\/[/\\]/.test(target) ? target : '/';
}
