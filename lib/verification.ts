/** The verification result as the browser shows it (types only: the engine runs on the server). */
export type { Verification, Outcome, SourceAccount, LostContent } from '../engine/verify/index.ts';
