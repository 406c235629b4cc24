import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { iterateDuplicateGroups, refreshCatalog, type RefreshSummary } from '../../catalog/index.ts';
import type { Db } from '../../db/index.ts';
import { describeEncoding } from '../../inventory/index.ts';
import { adhocSources, configuredSources } from '../../scan/index.ts';
import { formatBytes } from '../../format.ts';
import { createContext } from '../context.ts';
import { parseFlags } from '../flags.ts';
import { createScanProgress } from '../scan-progress.ts';

const flagsSchema = z.object({
  full: z.boolean().default(false),
  source: z.array(z.string().min(1)).default([]),
  /** Unset: listed for configured sources, not for ad-hoc folders. */
  xattrs: z.boolean().optional(),
  duplicates: z.boolean().default(false),
});

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('walk the configured landings (or the folders given) into the catalog and hash duplicate candidates')
    .argument('[dir...]', 'ad-hoc folders to scan instead of the configured sources')
    .option('--full', 'hash every file fully (integrity audit), not only duplicate candidates')
    .option('-s, --source <id>', 'scan only this configured source (repeatable)', (value: string, all: string[] = []) => [...all, value])
    .option('--xattrs', 'record extended-attribute names also for ad-hoc folders')
    .option('--no-xattrs', 'do not record extended-attribute names (the default for ad-hoc folders)')
    .option('--duplicates', 'then print the duplicate groups that involve the scanned sources (like jdupes -r)')
    .action(async (dirs: string[], _options, command: Command) => {
      const ctx = createContext(command.optsWithGlobals());
      const flags = parseFlags(flagsSchema, command.opts());
      const db = ctx.db();
      const sources = dirs.length > 0 ? adhocSources(db, dirs) : configuredSources(ctx.config, flags.source);
      const progress = createScanProgress({ json: ctx.json, quiet: ctx.quiet });
      ctx.logger.info({ sources: sources.map((source) => source.id), full: flags.full }, 'scan: starting');
      let summary: RefreshSummary;
      try {
        summary = await refreshCatalog(db, {
          sources,
          full: flags.full,
          // An ad-hoc folder is a quick look (no plan is built from it): its entries skip the one
          // llistxattr per entry, the largest cost the walk pays that jdupes does not.
          xattrs: flags.xattrs ?? dirs.length === 0,
          onProgress: (event) => progress.update(event),
        });
      } finally {
        progress.stop();
      }
      ctx.logger.info({ ...summary, problems: summary.problems.length }, 'scan: finished');
      if (flags.duplicates) printDuplicates(db, summary, ctx.json);
      else ctx.result(summary, () => renderSummary(summary));
      ctx.close();
    });
}

/**
 * Streams the groups (there can be millions of paths). With --json: the findings document of
 * `reconcile findings --kind duplicate --json`, plus the scan summary.
 */
function printDuplicates(db: Db, summary: RefreshSummary, json: boolean): void {
  const groups = iterateDuplicateGroups(db, { sourceIds: summary.sources });
  // One write per ~64 KiB, not per group: tens of thousands of groups made as many syscalls.
  let buffered = '';
  const write = (text: string) => {
    buffered += text;
    if (buffered.length >= 65_536) {
      process.stdout.write(buffered);
      buffered = '';
    }
  };
  if (json) {
    write('{"findings":[');
    let first = true;
    for (const group of groups) {
      const finding = { id: group.id, kind: 'duplicate', paths: group.paths, size: group.size, hash: group.hash };
      write(`${first ? '' : ','}${JSON.stringify(finding)}`);
      first = false;
    }
    process.stdout.write(`${buffered}],"scan":${JSON.stringify(summary)}}\n`);
    return;
  }
  let count = 0;
  for (const group of groups) {
    write(`${group.size} bytes × ${group.paths.length}  ${group.hash}\n${group.paths.map((item) => `  ${item}`).join('\n')}\n\n`);
    count++;
  }
  process.stdout.write(`${buffered}${renderSummary(summary)}\n  ${count} duplicate groups\n`);
}

function renderSummary(s: RefreshSummary): string {
  const lines = [
    `scan ${s.scanId}: ${s.sources.join(', ')}`,
    `  ${s.entriesSeen} entries, ${formatBytes(s.bytesSeen)} (${s.added} new, ${s.changed} changed, ${s.removed} removed${s.racy ? `, ${s.racy} racy re-hashed` : ''})`,
    `  hashed ${s.filesHashed} files, read ${formatBytes(s.bytesRead)} in ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  if (s.skipped) lines.push(`  ${s.skipped} entries recorded but not followed (symlinks, fifos, sockets, devices, loops)`);
  if (s.vanished) lines.push(`  ${s.vanished} entries vanished during the scan`);
  if (s.contentChanged) lines.push(`  ${s.contentChanged} files no longer match their stored hash although size, mtime and ctime are unchanged (ECONTENT below)`);
  if (s.unreadable || s.contentChanged) {
    if (s.unreadable) lines.push(`  ${s.unreadable} entries could not be read (recorded with their error):`);
    for (const problem of s.problems.slice(0, 10)) lines.push(`    ${problem.code}  ${problem.sourceId ? `${problem.sourceId}:` : ''}${problem.path}`);
  }
  for (const [sourceId, result] of Object.entries(s.inventories)) {
    const inventory = result.inventory;
    if (inventory) lines.push(`  ${sourceId}: inventory ${inventory.format} with ${inventory.entries} entries${inventory.alreadyImported ? ' (already imported)' : ''}`);
    for (const log of result.logs) {
      lines.push(`  ${sourceId}: ${log.matched} of ${log.events} transfer errors/warnings attached from ${log.file} (${log.tool}, ${describeEncoding(log.encoding)})`);
      for (const warning of log.warnings) lines.push(`  ${sourceId}: warning (${path.basename(log.file)}): ${warning.message}`);
    }
  }
  return lines.join('\n');
}
