/** Names and pages of the finding kinds. */
const labels: Record<string, string> = {
  duplicate: 'Duplicates',
  conflict: 'Conflicts',
  placeholder: 'Placeholders',
  partial: 'Partials',
  corrupt: 'Corrupt',
  artifact: 'Litter',
  trash: 'Trash folders',
  appledouble: 'AppleDouble orphans',
  'name-collision': 'Name collisions',
  unreadable: 'Unreadable',
  missing: 'Missing',
  staged: 'Staged → layout',
};

export function kindLabel(kind: string): string {
  return labels[kind] ?? kind;
}

export function kindHref(kind: string): string {
  if (kind === 'duplicate') return '/duplicates';
  if (kind === 'conflict') return '/conflicts';
  return `/findings/${kind}`;
}

/** Where one finding is reviewed. */
export function findingHref(finding: { id: string; kind: string }): string {
  const id = encodeURIComponent(finding.id);
  return finding.kind === 'duplicate' ? `/duplicates/${id}` : `/findings/${finding.kind}/${id}`;
}
