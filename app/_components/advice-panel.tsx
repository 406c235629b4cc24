'use client';
import { useAdvice } from '@/lib/hooks/use-advice.ts';

const nearDuplicateText = {
  likely: 'Likely near-duplicates',
  unlikely: 'Unlikely to be near-duplicates',
  unclear: 'Near-duplicate: unclear',
} as const;

/**
 * AI advice beside the evidence, labelled as such. Renders nothing when no AI gateway is configured.
 * It offers no way to decide: the only control asks for the advice again.
 */
export function AdvicePanel({ findingId }: { findingId: string }) {
  const advice = useAdvice(findingId);
  if (advice.data?.status === 'disabled') return null;
  const headingId = `advice-heading-${findingId}`;
  const retry = (
    <button
      type="button"
      className="ml-2 rounded border border-violet-400 bg-white px-2 py-0.5 text-xs hover:bg-violet-100 focus-visible:outline-2 focus-visible:outline-violet-700"
      onClick={() => void advice.refetch()}
    >
      Ask again
    </button>
  );
  return (
    <aside aria-labelledby={headingId} aria-busy={advice.isFetching} className="rounded border border-dashed border-violet-500 bg-violet-50 p-3 text-sm" data-testid="advice-panel">
      <h3 id={headingId} className="font-semibold text-violet-950">
        AI advice — not a decision
      </h3>
      <p className="mb-2 text-xs text-slate-700">
        Written by a language model from the metadata and short excerpts. It can be wrong; the evidence above is what counts.
        It changes nothing about what happens to the files.
      </p>
      {advice.isFetching && <p role="status" className="text-slate-700">Asking for advice…</p>}
      {!advice.isFetching && advice.error && (
        <p role="status" className="text-slate-800">
          Advice unavailable: {advice.error.message}
          {retry}
        </p>
      )}
      {!advice.isFetching && advice.data?.status === 'unavailable' && (
        <p role="status" className="text-slate-800" data-testid="advice-unavailable">
          Advice unavailable: {advice.data.message}
          {retry}
        </p>
      )}
      {!advice.isFetching && advice.data?.status === 'ok' && (
        <div data-testid="advice-text">
          {advice.data.nearDuplicate && (
            <p className="mb-1">
              <span className="rounded bg-violet-200 px-1.5 py-0.5 text-xs font-medium text-violet-950">{nearDuplicateText[advice.data.nearDuplicate]}</span>
            </p>
          )}
          <p className="whitespace-pre-wrap text-slate-900">{advice.data.summary}</p>
          <p className="mt-1 text-xs text-slate-600">
            Model {advice.data.model} · based on metadata and {advice.data.excerptBytes.toLocaleString('en')} bytes of excerpts
          </p>
        </div>
      )}
    </aside>
  );
}
