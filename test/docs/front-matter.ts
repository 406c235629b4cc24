/**
 * The platform's document conventions, shared by the docs tests: every Markdown document opens
 * with YAML front matter carrying these keys.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');

export const frontMatterSchema = z.looseObject({
  document_title: z.string().trim().min(1),
  author: z.string().trim().min(1),
  last_updated: isoDate,
  status: z.string().trim().min(1),
  related_initiatives: z.array(z.string().min(1)),
  linked_communications: z.array(z.string().min(1)),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** Parses a document's front matter; the error says what is missing or wrong. */
export function readFrontMatter(text: string): { ok: true; data: FrontMatter; body: string } | { ok: false; problem: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) return { ok: false, problem: 'does not start with a --- front matter block' };
  let raw: unknown;
  try {
    // The core schema keeps `2026-11-23` a string, as the platform writes it.
    raw = YAML.parse(match[1]!);
  } catch (error) {
    return { ok: false, problem: `front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  const parsed = frontMatterSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return { ok: false, problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(front matter)'}: ${issue.message}`).join('; ') };
  }
  return { ok: true, data: parsed.data, body: text.slice(match[0].length) };
}

/** Every Markdown file below a folder (relative paths, sorted). */
export function markdownFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(md|markdown|mdx)$/i.test(entry.name)) found.push(path.relative(root, full));
    }
  };
  walk(root);
  return found.sort();
}
