/** A timestamp people can read, with the exact ISO time on hover and for assistive technology. */
export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="text-slate-500">—</span>;
  const date = new Date(at.includes('T') || at.endsWith('Z') ? at : `${at.replace(' ', 'T')}Z`);
  const text = Number.isNaN(date.getTime()) ? at : date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return <time dateTime={Number.isNaN(date.getTime()) ? undefined : date.toISOString()} title={at}>{text}</time>;
}
