/** An accessible progress bar; indeterminate when the total is not known yet. */
export function ProgressBar({ label, done, total }: { label: string; done?: number; total?: number }) {
  const known = total !== undefined && total > 0 && done !== undefined;
  const percent = known ? Math.min(100, Math.round((done / total) * 100)) : undefined;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className="h-2 w-full overflow-hidden rounded bg-slate-200"
    >
      <div className={`h-full bg-blue-700 ${known ? '' : 'w-1/3 animate-pulse'}`} style={known ? { width: `${percent}%` } : undefined} />
    </div>
  );
}
