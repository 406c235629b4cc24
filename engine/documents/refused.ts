/** Why a content view or diff was not made: each reason is a clear answer for people, not a crash. */
export type RefusalReason = 'too-large' | 'unreadable' | 'timed-out' | 'busy' | 'unsupported';

export interface Refusal {
  status: 'refused';
  reason: RefusalReason;
  message: string;
}

export class DocumentRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }

  toAnswer(): Refusal {
    return { status: 'refused', reason: this.reason, message: this.message };
  }
}

/** A parser's own error on bad bytes: "could not read", with its message (it never holds file content beyond a name). */
export function unreadable(error: unknown, what: string): DocumentRefused {
  if (error instanceof DocumentRefused) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new DocumentRefused('unreadable', `could not read the ${what}: ${detail.slice(0, 200)}`);
}
