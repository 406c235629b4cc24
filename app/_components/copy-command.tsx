'use client';
import { useRef, useState } from 'react';

/** A command to run (on the origin host, or on this server), copied in one click (also without the clipboard API: plain HTTP over Tailscale). */
export function CopyCommand({ command, testId }: { command: string; testId: string }) {
  const code = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
    } catch {
      // Not a secure context: select the text and copy it the old way.
      const range = document.createRange();
      range.selectNodeContents(code.current!);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      document.execCommand('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <div className="flex items-start gap-2">
      <code ref={code} className="block flex-1 overflow-x-auto rounded bg-slate-100 px-2 py-1 text-xs whitespace-pre" data-testid={testId}>
        {command}
      </code>
      <button type="button" onClick={() => void copy()} className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100">
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
