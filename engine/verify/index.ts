/** engine/verify: proves content conservation and origin accounting by reading bytes; says complete, outstanding or failed. */
export { verify, latestVerification, type VerifyOptions, type VerifyPhase } from './verify.ts';
export {
  decideOutcome,
  storedOutcome,
  outcomes,
  outcomeExitCodes,
  outstandingReasons,
  type Outcome,
  type OutstandingEntry,
  type OutstandingReason,
  type WaivedEntry,
  type SourceAccount,
  type LostContent,
  type LostReason,
  type OperationProblem,
  type Verification,
  type Tally,
} from './types.ts';
