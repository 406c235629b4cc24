'use client';
import { useModal } from './use-modal.ts';

/** A modal confirmation: focus starts on Cancel, Escape cancels. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  tone = 'danger',
  busy,
  onConfirm,
  onCancel,
  testId,
}: {
  open: boolean;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const dialog = useModal(open);
  return (
    <dialog ref={dialog} onClose={onCancel} aria-labelledby={`${testId ?? 'confirm'}-heading`} className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40" data-testid={testId}>
      <div className="space-y-3 p-5">
        <h2 id={`${testId ?? 'confirm'}-heading`} className="text-lg font-semibold">{title}</h2>
        <div className="text-sm">{children}</div>
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className={`rounded px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50 ${tone === 'danger' ? 'bg-red-700 hover:bg-red-800' : 'bg-blue-700 hover:bg-blue-800'}`}
            disabled={busy}
            onClick={onConfirm}
            data-testid={testId ? `${testId}-button` : undefined}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
