/**
 * One kind's findings without building the plan: only the classification passes the kind needs
 * run (every pass up to the last that finds it, so the findings are the full plan's), proposals
 * are made in memory and decisions looked up by their key; nothing is written — no Finding or
 * Proposal rows, no plan document. What `findings --kind K` answers when no plan can be reused.
 */
import type { Config } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { classify, storedEvidence, type ClassifyProgress, type FindingKind } from '../classify/index.ts';
import { proposeContext } from './build.ts';
import type { ListedFinding } from './decide.ts';
import { propose } from './propose.ts';

export function listKind(
  db: Db,
  config: Config,
  kind: FindingKind,
  onFinding: (finding: ListedFinding) => void,
  options: { onPass?: (progress: ClassifyProgress) => void } = {},
): number {
  const context = proposeContext(db, config);
  const decision = db.prepare('SELECT verdict, decidedBy, decidedAt FROM Decision WHERE decisionKey = ?');
  // A file two sources share (one landing) is met once per source: the plan keeps one finding per id.
  const listed = new Set<string>();
  classify(
    db,
    config,
    (finding) => {
      if (listed.has(finding.id)) return;
      listed.add(finding.id);
      const proposal = propose(finding, context);
      const decided = decision.get(proposal.decisionKey) as ListedFinding['decision'] | undefined;
      onFinding({
        id: finding.id,
        ...storedEvidence(finding),
        paths: finding.paths,
        sources: finding.sources,
        rule: finding.rule,
        ...(finding.size === undefined ? {} : { size: finding.size }),
        ...(finding.hash === undefined ? {} : { hash: finding.hash }),
        proposal: { action: proposal.action, rule: proposal.rule, reason: proposal.reason, keeper: proposal.keeperPath },
        decision: decided ?? null,
      });
    },
    { kind, onPass: options.onPass },
  );
  return listed.size;
}
