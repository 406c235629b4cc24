/**
 * The part of engine/classify's public surface the browser may load: constants, types and the evidence
 * helpers (zod only), no Node module behind them (index.ts is the stage's full surface, for the server).
 */
export { findingKinds, type FindingKind } from './types.ts';
export { originVersionsOf, type EvidenceOf, type StoredEvidence, type StoredKindEvidence, type OriginVersion, type OriginVersionInSpace, type ConflictEvidence } from './evidence.ts';
