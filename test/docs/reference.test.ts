// The reference documents must stay true to the code: every config key, environment variable, CLI
// command and CLI option that exists is documented, and nothing is documented that does not exist.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { z } from 'zod';
import { envSchema } from '../../engine/config/env.ts';
import { accessSchema, configFileSchema, layoutSchema, sourceSchema, priorityRules } from '../../engine/config/file.ts';
import { buildProgram } from '../../engine/cli/main.ts';
import { repoRoot } from '../helpers.ts';

const read = (file: string) => fs.readFileSync(path.join(repoRoot, 'docs/reference', file), 'utf8');

/** Whether an option appears in a code span, alone or in a form like `-s, --source <id>`. */
function mentioned(spans: Set<string>, flag: string): boolean {
  return [...spans].some((span) => span.split(/[\s,=]+/).includes(flag));
}

/** Backticked words of a document, e.g. `landing`, `RECONCILE_DATA_DIR`, `roles.viewer`. */
function codeSpans(text: string): Set<string> {
  return new Set([...text.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!.trim()));
}

describe('docs/reference/configuration.md', () => {
  const spans = codeSpans(read('configuration.md'));

  it('documents every config-file key', () => {
    const roles = (accessSchema.shape.roles.unwrap() as z.ZodObject).shape;
    const keys = [
      ...Object.keys(configFileSchema.shape),
      ...Object.keys(sourceSchema.shape),
      ...Object.keys(layoutSchema.shape),
      ...Object.keys(accessSchema.shape).filter((key) => key !== 'roles'),
      ...Object.keys(roles).map((role) => `roles.${role}`),
      ...priorityRules,
    ];
    expect(keys.filter((key) => !spans.has(key))).toEqual([]);
  });

  it('documents every environment variable', () => {
    expect(Object.keys(envSchema.shape).filter((name) => !spans.has(name))).toEqual([]);
  });

  it('documents no environment variable the code does not read', () => {
    const known = new Set(Object.keys(envSchema.shape));
    const documented = [...spans].filter((span) => /^(RECONCILE|NEXTAUTH|ENTRA|CF_ACCESS)_[A-Z_]+$/.test(span));
    expect(documented.filter((name) => !known.has(name))).toEqual([]);
  });
});

const program = await buildProgram();

describe('docs/reference/cli.md', () => {
  const text = read('cli.md');
  const sections = new Map(
    text
      .split(/^(?=## )/m)
      .map((section) => [/^## `([a-z-]+)`/.exec(section)?.[1], section] as const)
      .filter((entry): entry is readonly [string, string] => entry[0] !== undefined),
  );
  const longFlags = (command: Command) => command.options.map((option) => option.long).filter((flag): flag is string => Boolean(flag));

  it('has a section for every command', () => {
    const missing = program.commands.map((command) => command.name()).filter((name) => !sections.has(name));
    expect(missing).toEqual([]);
  });

  it('documents no command that does not exist', () => {
    const names = new Set(program.commands.map((command) => command.name()));
    expect([...sections.keys()].filter((name) => !names.has(name))).toEqual([]);
  });

  it('documents every option of every command, and the global options', () => {
    const missing: string[] = [];
    for (const command of program.commands) {
      const spans = codeSpans(sections.get(command.name()) ?? '');
      for (const flag of longFlags(command)) if (!mentioned(spans, flag)) missing.push(`${command.name()} ${flag}`);
    }
    for (const flag of longFlags(program)) if (!mentioned(codeSpans(text), flag)) missing.push(flag);
    expect(missing).toEqual([]);
  });
});

describe('docs/reference/http-api.md', () => {
  const rows = new Map(
    [...read('http-api.md').matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/api\/\S+)` \| (\w+) \|/gm)].map((match) => [`${match[1]} ${match[2]}`, match[3]]),
  );
  /** Every handler under app/api with the least role it declares (public for next-auth's own). */
  const handlers = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const text = fs.readFileSync(full, 'utf8');
        const url = `/${path.relative(path.join(repoRoot, 'app'), dir).split(path.sep).join('/')}`;
        for (const [, method, role] of text.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = (?:uploadGate\(\s*)?route\(\s*\{\s*role: '(\w+)'/g)) handlers.set(`${method} ${url}`, role!);
        for (const [, method] of text.matchAll(/handler as (GET|POST|PUT|PATCH|DELETE)/g)) handlers.set(`${method} ${url}`, 'public');
      }
    }
  };
  walk(path.join(repoRoot, 'app/api'));

  it('documents every route handler with the role it declares', () => {
    expect(handlers.size).toBeGreaterThan(0);
    const wrong = [...handlers].filter(([request, role]) => rows.get(request) !== role).map(([request, role]) => `${request} (${role}, documented ${rows.get(request) ?? 'nowhere'})`);
    expect(wrong).toEqual([]);
  });

  it('documents no handler that does not exist', () => {
    expect([...rows.keys()].filter((request) => !handlers.has(request))).toEqual([]);
  });
});
