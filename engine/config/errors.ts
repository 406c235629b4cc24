/**
 * An error the user can fix (bad config, missing folder, bad flag). The CLI prints its message
 * without a stack trace and exits non-zero; anything else is a bug and is logged in full.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
