/**
 * Assist-only AI advice on one finding. It reads the finding and bounded text heads of its files
 * (inside the space only, through lib/files), asks the configured gateway, and records that advice
 * was shown. It has no path to decisions or jobs: advice never creates, approves or applies anything.
 */
import 'server-only';
import { aiSetup, chatCompletion, type UnavailableReason } from '../ai/client.ts';
import { buildAdvicePrompt, mayExcerpt, parseAdvice, type AdviceVersion, type NearDuplicate } from '../ai/prompt.ts';
import type { Actor } from '../auth/actor.ts';
import { serverConfig } from '../config.ts';
import { engineDb } from '../db.ts';
import { UnsafePathError } from '../files/open-in-space.ts';
import { previewFile } from '../files/preview.ts';
import { getFinding, type Member } from './findings.ts';

export type Advice =
  | { status: 'disabled' }
  | { status: 'unavailable'; reason: UnavailableReason; message: string }
  | {
      status: 'ok';
      findingId: string;
      model: string;
      nearDuplicate: NearDuplicate | null;
      summary: string;
      /** Bytes of file text the prompt carried, for the panel's "based on" line. */
      excerptBytes: number;
    };

/** The text head of a member, when it is a text file in the space that may be excerpted; else null. */
async function textHead(member: Member): Promise<string | null> {
  if (member.spacePath === null || member.entryId === null || !mayExcerpt(member.path)) return null;
  try {
    const preview = await previewFile(serverConfig().space, member.spacePath);
    return preview.kind === 'text' ? preview.text : null;
  } catch (error) {
    // Moved, unreadable or refused since the scan: advise on the metadata alone.
    if (error instanceof UnsafePathError) return null;
    throw error;
  }
}

export async function adviseOnFinding(findingId: string, actor: Actor): Promise<Advice> {
  const finding = getFinding(findingId); // an unknown finding is a 404 whether or not AI is on
  const setup = aiSetup(serverConfig().env);
  if (!setup.enabled) return { status: 'disabled' };
  if ('problem' in setup) return { status: 'unavailable', reason: 'misconfigured', message: setup.problem };
  const versions: AdviceVersion[] = await Promise.all(
    finding.members.map(async (member) => ({
      path: member.path,
      sourceId: member.sourceId,
      size: member.size,
      mtime: member.mtimeMs === null ? null : new Date(member.mtimeMs).toISOString(),
      hash: member.fullHash,
      errorCode: member.errorCode,
      isKeeper: member.isKeeper,
      text: await textHead(member),
    })),
  );
  const prompt = buildAdvicePrompt(
    {
      findingId: finding.id,
      kind: finding.kind,
      rule: finding.rule,
      evidence: finding.evidence,
      proposal: finding.action ? { action: finding.action, rule: finding.proposalRule ?? '', reason: finding.reason ?? '' } : null,
      versions,
    },
    setup.settings.maxExcerptBytes,
  );
  const answer = await chatCompletion(setup.settings, prompt.messages);
  if (!answer.ok) return { status: 'unavailable', reason: answer.reason, message: answer.message };
  recordAdviceShown(actor, finding.id, answer.model);
  return { status: 'ok', findingId: finding.id, model: answer.model, excerptBytes: prompt.excerptBytes, ...parseAdvice(answer.text) };
}

function recordAdviceShown(actor: Actor, findingId: string, model: string): void {
  engineDb()
    .prepare('INSERT INTO AuditEvent (at, actor, action, targetType, targetId, detailsJson) VALUES (?, ?, ?, ?, ?, ?)')
    .run(new Date().toISOString(), actor.email, 'advice.shown', 'finding', findingId, JSON.stringify({ model }));
}
