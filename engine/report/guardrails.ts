/** The guardrails as a section ready for the owner's MIGRATION_PLAN.md (`reconcile report --format guardrails`). */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../config/index.ts';
import { projectRoot } from '../project.ts';
import { storedOutcome } from '../verify/index.ts';
import type { Report } from './build.ts';

const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/**
 * The guardrails (docs/reference/guardrails.md, the one place they are written down) as a section
 * for the owner's MIGRATION_PLAN.md: headings one level down, links to this repository's documents
 * as plain text (they do not resolve there), and this installation's folders, sources and rules.
 */
export function renderGuardrails(report: Report): string {
  const file = path.join(projectRoot(), 'docs/reference/guardrails.md');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`the guardrails document ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const body = text
    .replace(frontMatterPattern, '')
    .replace(/\[([^\]]+)\]\((?!https?:)[^)]+\)/g, '$1')
    .replace(/^(#+) /gm, (_, hashes: string) => `${hashes}# `)
    .replace(/^## Migration guardrails\n/m, '## Guardrails: what Reconcile will and will not do\n')
    .trim();
  const { layout, sources, priority } = report.setup;
  const outcome = storedOutcome(report.verification) ?? 'not verified yet';
  const setup = [
    '### This installation',
    '',
    `- Space: \`${report.space}\`; working files under \`${layout.canonical}/\`, archive sets \`${layout.archives.join('`, `')}\`, device captures \`${layout.devices}/\`, inbox \`${layout.inbox}/\`.`,
    `- Displaced copies: \`${layout.archive}/<run>/\`; losing conflict versions: \`${layout.conflicts}/<run>/conflicts/\`; apply journal: \`${layout.journal}/<run>/\`.`,
    `- Files fetched from the origins wait in \`${layout.recovery}/<source>/\` until a decision places them.`,
    `- Priority rules, in order: ${priority.map((rule) => `\`${rule}\``).join(', ')}.`,
    `- Sources: ${sources.map((source) => `\`${source.id}\` (${source.kind}${source.host ? ` from ${source.host}` : ''}, lands in \`${source.landing}\`)`).join('; ')}.`,
    `- Last verification: ${outcome}${report.run ? ` (run \`${report.run.id}\`)` : ''}; generated ${report.generatedAt} by ${report.generator}.`,
  ];
  return `${body.replace(/\n(### Reconcile will\n)/, `\n${setup.join('\n')}\n\n$1`)}\n`;
}
