// The platform's documentation rules: every document under docs/ opens with the required front
// matter, relative links between documents resolve, and no loose Markdown sits at the repository
// root besides README.md.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.ts';
import { markdownFiles, readFrontMatter } from './front-matter.ts';

const docsRoot = path.join(repoRoot, 'docs');
const documents = markdownFiles(docsRoot);

describe('front matter checker', () => {
  it('accepts a complete block', () => {
    const result = readFrontMatter(
      '---\ndocument_title: T\nauthor: A\nlast_updated: 2026-11-23\nstatus: draft\nrelated_initiatives: []\nlinked_communications: []\n---\n# T\n',
    );
    expect(result.ok).toBe(true);
  });

  it.each([
    ['no block at all', '# Title\n'],
    ['a missing key', '---\ndocument_title: T\nauthor: A\nlast_updated: 2026-11-23\nstatus: draft\nrelated_initiatives: []\n---\n'],
    ['a date in another form', '---\ndocument_title: T\nauthor: A\nlast_updated: 23.11.2026\nstatus: draft\nrelated_initiatives: []\nlinked_communications: []\n---\n'],
    ['a list given as text', '---\ndocument_title: T\nauthor: A\nlast_updated: 2026-11-23\nstatus: draft\nrelated_initiatives: x\nlinked_communications: []\n---\n'],
    ['an empty title', '---\ndocument_title: ""\nauthor: A\nlast_updated: 2026-11-23\nstatus: draft\nrelated_initiatives: []\nlinked_communications: []\n---\n'],
    ['broken YAML', '---\ndocument_title: [\n---\n'],
  ])('rejects %s', (_label, text) => {
    expect(readFrontMatter(text).ok).toBe(false);
  });
});

describe('docs/', () => {
  it('holds documents in the platform taxonomy', () => {
    expect(documents.length).toBeGreaterThan(0);
    const allowed = new Set(['reference', 'guides', 'runbooks', 'architecture', 'product', 'communications', 'reports', 'initiatives']);
    for (const document of documents) {
      const [top, ...rest] = document.split(path.sep);
      if (rest.length === 0) expect(top, 'only the index may sit directly in docs/').toBe('index.md');
      else expect(allowed, `${document} is outside the taxonomy`).toContain(top);
    }
  });

  it.each(documents)('%s starts with the required front matter', (document) => {
    const result = readFrontMatter(fs.readFileSync(path.join(docsRoot, document), 'utf8'));
    expect(result.ok ? 'ok' : result.problem).toBe('ok');
  });

  it.each(documents)('%s links only to files that exist', (document) => {
    const text = fs.readFileSync(path.join(docsRoot, document), 'utf8');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target!) || target!.startsWith('#')) continue; // external or same page
      const file = decodeURI(target!.split('#')[0]!);
      if (!fs.existsSync(path.resolve(path.dirname(path.join(docsRoot, document)), file))) broken.push(target!);
    }
    expect(broken).toEqual([]);
  });
});

describe('guardrails', () => {
  const guardrails = fs.readFileSync(path.join(docsRoot, 'reference/guardrails.md'), 'utf8');
  // Each rule's text, as it stands in the list items of the guardrails document.
  const rules = [...guardrails.matchAll(/^(?:\d+\.|-) (.{40,})$/gm)].map((match) => match[1]!.trim());

  it('are stated in reference/guardrails.md', () => {
    expect(rules.length).toBeGreaterThan(10);
  });

  it.each(documents.filter((document) => document !== path.join('reference', 'guardrails.md')))('%s links to them instead of copying them', (document) => {
    const text = fs.readFileSync(path.join(docsRoot, document), 'utf8');
    expect(rules.filter((rule) => text.includes(rule))).toEqual([]);
    if (/^(runbooks\/|architecture\/\d)/.test(document.split(path.sep).join('/'))) {
      expect(text, 'runbooks and decision records link to the guardrails').toMatch(/\]\((\.\.\/)*(reference\/)?guardrails\.md\)/);
    }
  });
});

describe('repository root', () => {
  it('has no Markdown besides README.md', () => {
    const loose = fs
      .readdirSync(repoRoot, { withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.(md|markdown|mdx)$/i.test(entry.name) && entry.name !== 'README.md')
      .map((entry) => entry.name);
    expect(loose).toEqual([]);
  });
});
