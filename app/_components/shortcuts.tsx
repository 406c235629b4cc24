'use client';
import { useEffect, useRef, useState } from 'react';
import { useModal } from './use-modal.ts';

export interface Shortcut {
  key: string;
  label: string;
  run: () => void;
}

function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return Boolean(element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName)));
}

/**
 * Single-key shortcuts for review pages (ignored while typing in a field or with a modifier
 * held); `?` opens the list of shortcuts.
 */
export function useShortcuts(shortcuts: Shortcut[], enabled = true) {
  const [helpOpen, setHelpOpen] = useState(false);
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (event.key === '?') {
        event.preventDefault();
        setHelpOpen((open) => !open);
        return;
      }
      const shortcut = latest.current.find((candidate) => candidate.key === event.key);
      if (shortcut && !document.querySelector('dialog[open]')) {
        event.preventDefault();
        shortcut.run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
  return { helpOpen, setHelpOpen };
}

/** The `?` dialog listing the page's shortcuts. */
export function ShortcutsHelp({ shortcuts, open, onClose }: { shortcuts: Shortcut[]; open: boolean; onClose: () => void }) {
  const dialog = useModal(open);
  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="shortcuts-heading" className="m-auto rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40" data-testid="shortcuts-help">
      <div className="min-w-72 p-5">
        <h2 id="shortcuts-heading" className="mb-3 text-lg font-semibold">Keyboard shortcuts</h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {[...shortcuts, { key: '?', label: 'show or hide this list' }].map((shortcut) => (
            <div key={shortcut.key} className="contents">
              <dt><kbd className="rounded border border-slate-400 bg-slate-100 px-1.5 font-mono">{shortcut.key}</kbd></dt>
              <dd>{shortcut.label}</dd>
            </div>
          ))}
        </dl>
        <button type="button" className="mt-4 rounded bg-slate-800 px-3 py-1.5 text-sm text-white" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}

export function ShortcutsHint() {
  return <p className="text-xs text-slate-600">Press <kbd className="rounded border border-slate-400 px-1 font-mono">?</kbd> for keyboard shortcuts.</p>;
}
