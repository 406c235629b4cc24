/**
 * How the API names a file to view: a member of a finding, or a catalogued entry — never a path.
 * The server resolves either from the database, so a caller can only reach files the catalog or a
 * finding already names. On the wire a reference is one query value, so a request can name several
 * (a diff names two): `finding:<finding id>:<member index>` or `entry:<entry id>`.
 * Shared by the browser (building URLs) and the server (parsing them).
 */
export type FileRef = { finding: string; member: number } | { entry: number };

export function formatFileRef(ref: FileRef): string {
  return 'entry' in ref ? `entry:${ref.entry}` : `finding:${ref.finding}:${ref.member}`;
}

const maxIndex = 1_000_000_000;

/** The reference a query value names, or null when it is not one. */
export function parseFileRef(value: string): FileRef | null {
  const entry = /^entry:(\d{1,10})$/.exec(value);
  if (entry) {
    const id = Number(entry[1]);
    return id > 0 && id <= Number.MAX_SAFE_INTEGER ? { entry: id } : null;
  }
  // The finding id is everything up to the last colon; finding ids are `<kind>-<hex>`.
  const member = /^finding:(.{1,200}):(\d{1,10})$/.exec(value);
  if (member) {
    const index = Number(member[2]);
    return index <= maxIndex ? { finding: member[1]!, member: index } : null;
  }
  return null;
}

/** File views a reference can be shown in. */
export type FileView = 'preview' | 'image' | 'thumbnail';

/** `/api/files/preview?file=…` and the like. */
export function fileViewUrl(view: FileView, ref: FileRef): string {
  return `/api/files/${view}?${new URLSearchParams({ file: formatFileRef(ref) })}`;
}

/** Views of two files: `diff` (line diff for text, content-aware for documents), `overlay` (differing pixels of two pictures). */
export type PairView = 'diff' | 'overlay';

/** `/api/files/diff?a=…&b=…` and the like (any two references). */
export function fileDiffUrl(a: FileRef, b: FileRef, view: PairView = 'diff'): string {
  return `/api/files/${view}?${new URLSearchParams({ a: formatFileRef(a), b: formatFileRef(b) })}`;
}
