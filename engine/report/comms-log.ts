/**
 * The owner's communication log, kept from here: each run's dated entry, newest first, under the
 * front matter his documentation standard requires.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { UserError } from '../config/index.ts';
import type { Report } from './build.ts';
import { commsLogId, initiative, renderCommsLog } from './render.ts';

export interface AppendResult {
  file: string;
  id: string;
  /** The log did not exist: it was created with its front matter. */
  created: boolean;
  /** An entry with this id was there already (the same run reported again): it was replaced, not repeated. */
  replaced: boolean;
}

const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** The keys the owner's documentation standard requires in every document's front matter. */
function completeFrontMatter(existing: Record<string, unknown>, id: string, today: string): Record<string, unknown> {
  const linked = Array.isArray(existing.linked_communications) ? (existing.linked_communications as unknown[]).map(String) : [];
  const initiatives = Array.isArray(existing.related_initiatives) ? (existing.related_initiatives as unknown[]).map(String) : [];
  return {
    ...existing,
    document_title: typeof existing.document_title === 'string' && existing.document_title.trim() !== '' ? existing.document_title : 'Communication log',
    author: typeof existing.author === 'string' && existing.author.trim() !== '' ? existing.author : 'Reconcile',
    last_updated: today,
    status: typeof existing.status === 'string' && existing.status.trim() !== '' ? existing.status : 'active',
    related_initiatives: initiatives.includes(initiative) ? initiatives : [...initiatives, initiative],
    linked_communications: linked.includes(id) ? linked : [id, ...linked],
  };
}

/**
 * Puts the report's entry into a communication log: after the heading, before the newest entry
 * (the log is newest first), or in place of an entry with the same id, so a re-run never repeats
 * one. The front matter gets its required keys, today's date and the entry's id. Written whole and
 * renamed into place.
 */
export function appendCommsLog(file: string, report: Report, now = new Date()): AppendResult {
  const id = commsLogId(report);
  const today = now.toISOString().slice(0, 10);
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`--append ${file}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const match = text === null ? null : frontMatterPattern.exec(text);
  let existing: Record<string, unknown> = {};
  if (match) {
    try {
      existing = (YAML.parse(match[1]!) as Record<string, unknown> | null) ?? {};
    } catch (error) {
      throw new UserError(`--append ${file}: its front matter is not valid YAML (${(error as Error).message.split('\n')[0]}); nothing was written`);
    }
  }
  const body = text === null ? '# Communication log\n\nNewest first.\n' : match ? text.slice(match[0].length) : text;
  const entry = renderCommsLog(report).trimEnd();
  const { text: updated, replaced } = placeEntry(body, entry, id);
  const output = `---\n${YAML.stringify(completeFrontMatter(existing, id, today))}---\n${updated.startsWith('\n') ? '' : '\n'}${updated}`;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, output, { mode: text === null ? 0o644 : fs.statSync(file).mode & 0o777 });
  fs.renameSync(temp, file);
  return { file, id, created: text === null, replaced };
}

/** The body with the entry before the first entry heading, or in place of the one carrying its id. */
function placeEntry(body: string, entry: string, id: string): { text: string; replaced: boolean } {
  const lines = body.split('\n');
  const headings = lines.map((line, index) => (/^## /.test(line) ? index : -1)).filter((index) => index >= 0);
  const same = headings.find((index) => lines[index]!.includes(`{#${id}}`));
  if (same !== undefined) {
    const end = headings.find((index) => index > same) ?? lines.length;
    const rest = lines.slice(end);
    return { text: [...lines.slice(0, same), ...entry.split('\n'), ...(rest.length > 0 ? ['', ...rest] : [''])].join('\n'), replaced: true };
  }
  const first = headings[0];
  if (first === undefined) return { text: `${body.replace(/\n*$/, '\n\n')}${entry}\n`, replaced: false };
  return { text: [...lines.slice(0, first), ...entry.split('\n'), '', ...lines.slice(first)].join('\n'), replaced: false };
}
