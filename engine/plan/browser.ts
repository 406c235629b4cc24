/**
 * The part of engine/plan's public surface the browser may load: constants and types only, no
 * Node module behind them (index.ts is the stage's full surface, for the server).
 */
export { reviewStates, type FindingFilter, type ReviewState } from './filter.ts';
export type { ReviewChoice, StoredChoice } from './choice.ts';
