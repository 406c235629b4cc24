/**
 * engine/plan: proposals under the configured priority rules, the deterministic plan document,
 * decisions and invariant checks. Public surface of the stage (the web app's lib/services and the
 * apply stage call these).
 */
export { buildPlan, planHeader, commonFolder, storedCompleteness, type PlanResult, type PlanSummary, type PlanProgress } from './build.ts';
export { configHash, planFingerprint } from './fingerprint.ts';
export { listKind } from './single-kind.ts';
export { reusablePlan } from './reuse.ts';
export { writePlanDocument, planFormat, type PlanHeader } from './document.ts';
export { decide, undoDecisions, listFindings, type ListedFinding, type DecideInput, type DecideResult, type Verdict } from './decide.ts';
export { findingFilterSql, findingJoins, reviewStates, type FindingFilter, type ReviewState } from './filter.ts';
export { checkInvariants, latestInvariants, type InvariantCheck, type Violation } from './invariants.ts';
export { chooseKeeper, ruleScores, type SourceTraits, type KeeperChoice } from './priority.ts';
export { propose, decisionKey, proposalActions, type Proposal, type ProposalAction, type Redownload } from './propose.ts';
export { displacedPrefix, type Operation } from './operations.ts';
export { choiceOperations, reviewChoiceSchema, parseStoredChoice, type ReviewChoice, type StoredChoice } from './choice.ts';
