/**
 * The part of engine/classify's public surface the browser may load: constants and types only, no
 * Node module behind them (index.ts is the stage's full surface, for the server).
 */
export { findingKinds, type FindingKind } from './types.ts';
