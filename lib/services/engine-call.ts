import 'server-only';
import { isUserError } from '../../engine/config/index.ts';
import { ApiError } from '../api/respond.ts';

/** Runs an engine call; the engine's clean refusals (UserError) become 409 responses with their message. */
export function engineCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (isUserError(error)) throw new ApiError('conflict', (error as Error).message);
    throw error;
  }
}
