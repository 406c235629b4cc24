/**
 * A robocopy source end to end through the real CLI: `reconcile scan` imports its manifest and its
 * log (as /UNILOG or /LOG wrote it), `reconcile findings` reports every file that never arrived
 * with the Windows error that stopped it, and nothing at a path that exists nowhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../engine/db/index.ts';
import { runCli, tempDir } from '../helpers.ts';
import { ansiLog, encodings, longRel, origin, originFiles, robocopyLogText, unilog, writeLanded, writeManifest, type LogOptions } from './robocopy-fixture.ts';

interface Finding {
  kind: string;
  rule: string;
  paths: string[];
  evidence: { transferError?: { code: string | null } | null; relPath?: string };
}

function wintermuteSpace(log: Buffer, extra: string[] = []): { dir: string; dataDir: string; config: string } {
  const dir = tempDir('reconcile-robocopy-');
  const dataDir = tempDir('reconcile-data-');
  writeLanded(path.join(dir, 'space/inbox/win'));
  writeManifest(path.join(dir, 'manifests/wintermute.jsonl.gz'));
  fs.mkdirSync(path.join(dir, 'logs'));
  fs.writeFileSync(path.join(dir, 'logs/wintermute.log'), log);
  const config = path.join(dir, 'reconcile.yaml');
  fs.writeFileSync(
    config,
    [
      'space: space',
      'sources:',
      '  - id: wintermute-mdt',
      '    host: wintermute',
      '    kind: robocopy',
      '    class: local',
      `    origin: '${origin}'`,
      '    landing: inbox/win',
      '    manifest: manifests/wintermute.jsonl.gz',
      '    logs: [logs/wintermute.log]',
      ...extra,
      '',
    ].join('\n'),
  );
  return { dir, dataDir, config };
}

function findings(space: { dataDir: string; config: string }): Finding[] {
  const result = runCli(['--config', space.config, 'findings', '--json'], { dataDir: space.dataDir });
  expect(result.status, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
}

/** Every path a finding names is a file in the space, or an origin entry as its host spells it. */
function expectNoInventedPaths(space: { dir: string; dataDir: string }, list: Finding[]): void {
  const db = openDatabase(path.join(space.dataDir, 'reconcile.db'));
  const originPaths = new Set(db.prepare('SELECT originPath FROM OriginEntry').pluck().all() as string[]);
  db.close();
  for (const finding of list) {
    for (const named of finding.paths) {
      const exists = originPaths.has(named) || fs.existsSync(path.join(space.dir, 'space', named));
      expect(exists, `${finding.kind}/${finding.rule} names ${named}`).toBe(true);
    }
  }
}

const expectedMissing = [
  ['Finance/Ledger.xlsx', 'EBUSY'],
  ['Finance/budget é.xlsx', 'EACCES'],
  ['Projects/site survey.pdf', 'EACCES'],
  [longRel, 'EBUSY'],
].sort();

describe('a robocopy source through reconcile scan and findings', () => {
  it.each(encodings)('$name: each file that never arrived is missing with its Windows error; no finding is invented', ({ encode }) => {
    const space = wintermuteSpace(encode(robocopyLogText()));
    const scan = runCli(['--config', space.config, 'scan'], { dataDir: space.dataDir });
    expect(scan.status, scan.stderr).toBe(0);
    const list = findings(space);
    const missing = list.filter((finding) => finding.kind === 'missing');
    expect(missing.map((finding) => [finding.evidence.relPath, finding.evidence.transferError?.code ?? null]).sort()).toEqual(expectedMissing);
    expect(missing.length).toBe(originFiles.filter((entry) => !entry.landed).length);
    expect(list.filter((finding) => finding.kind === 'unreadable')).toEqual([]);
    expectNoInventedPaths(space, list);
  });

  it("decodes a log in the source's logEncoding (an OEM 850 console capture)", () => {
    const space = wintermuteSpace(ansiLog(robocopyLogText(), 'cp850'), ['    logEncoding: cp850']);
    const scan = runCli(['--config', space.config, 'scan', '--json'], { dataDir: space.dataDir });
    expect(scan.status, scan.stderr).toBe(0);
    expect(JSON.parse(scan.stdout).inventories['wintermute-mdt'].logs[0]).toMatchObject({ encoding: { name: 'cp850', reason: 'code page' }, matched: 5, warnings: [] });
    const missing = findings(space).filter((finding) => finding.kind === 'missing');
    expect(missing.map((finding) => [finding.evidence.relPath, finding.evidence.transferError?.code ?? null]).sort()).toEqual(expectedMissing);
  });

  it('says in scan output (and --json) and the report that the log reports more failures than could be matched', () => {
    const options: LogOptions = { unmatchable: true };
    const space = wintermuteSpace(unilog(robocopyLogText(options)));
    const text = runCli(['--config', space.config, 'scan'], { dataDir: space.dataDir });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('wintermute-mdt: 5 of 6 transfer errors/warnings attached from');
    expect(text.stdout).toContain('wintermute-mdt: warning (wintermute.log): the log reports 5 failures; 4 could be matched (robocopy summary: Files FAILED 5)');
    expect(text.stdout).toContain('names C:\\Users\\mike\\MDT\\Finance\\~$Ledger.xlsx, which matches no origin entry and no file in the space');

    const json = runCli(['--config', space.config, 'scan', '--json'], { dataDir: space.dataDir });
    const log = JSON.parse(json.stdout).inventories['wintermute-mdt'].logs[0];
    expect(log).toMatchObject({ tool: 'robocopy', encoding: { name: 'utf-16le', reason: 'byte-order mark' }, events: 6, matched: 5, unmatched: 1 });
    expect(log.warnings.map((warning: { kind: string }) => warning.kind)).toEqual(['unmatched-path', 'summary-mismatch']);

    // The unmatched lock file is a warning, not a finding at a made-up path.
    const list = findings(space);
    expect(list.some((finding) => finding.paths.some((named) => named.includes('~$Ledger')))).toBe(false);
    expectNoInventedPaths(space, list);

    // The report carries the warnings in every format.
    const report = (format: string) => runCli(['--config', space.config, 'report', '--format', format], { dataDir: space.dataDir }).stdout;
    const mismatch = 'the log reports 5 failures; 4 could be matched (robocopy summary: Files FAILED 5)';
    const markdown = report('md');
    const section = markdown.slice(markdown.indexOf('## Import warnings'), markdown.indexOf('## Duplicates')).trim().split('\n');
    expect(section.slice(0, 3)).toEqual(['## Import warnings', '', "Not findings: what importing the sources' manifests and transfer logs could not reconcile."]);
    expect(section.slice(4)).toEqual([
      // Markdown source: backslashes and '~' are escaped so the rendered text is the Windows path itself.
      expect.stringMatching(/^- wintermute-mdt, wintermute\.log:\d+: line \d+ names C:\\\\Users\\\\mike\\\\MDT\\\\Finance\\\\\\~\$Ledger\.xlsx, which matches no origin entry/),
      expect.stringMatching(/^- wintermute-mdt, wintermute\.log:\d+: the log reports 5 failures; 4 could be matched/),
    ]);
    expect(report('html')).toContain(`<h2>Import warnings (2)</h2>`);
    expect(report('html')).toContain(mismatch);
    expect(report('csv').split('\n').filter((line) => line.startsWith('import-warning,wintermute-mdt,'))).toHaveLength(2);
    const reportJson = JSON.parse(runCli(['--config', space.config, '--json', 'report'], { dataDir: space.dataDir }).stdout);
    expect(reportJson.importWarnings).toEqual([
      expect.objectContaining({ source: 'wintermute-mdt', kind: 'unmatched-path' }),
      expect.objectContaining({ source: 'wintermute-mdt', kind: 'summary-mismatch', message: mismatch }),
    ]);
  });

  it('reconcile import --log says what it attached and warns, in text and --json', () => {
    const space = wintermuteSpace(unilog(robocopyLogText()));
    expect(runCli(['--config', space.config, 'scan'], { dataDir: space.dataDir }).status).toBe(0);
    const second = path.join(space.dir, 'logs/second.log');
    fs.writeFileSync(second, unilog(robocopyLogText({ unmatchable: true })));
    const text = runCli(['--config', space.config, 'import', '--source', 'wintermute-mdt', '--log', second], { dataDir: space.dataDir });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout.split('\n')).toEqual([
      `5 of 6 transfer errors/warnings from ${second} (robocopy, UTF-16LE with byte-order mark) attached to wintermute-mdt; 1 name nothing wintermute-mdt has`,
      expect.stringMatching(/^ {2}warning: line \d+ names C:\\Users\\mike\\MDT\\Finance\\~\$Ledger\.xlsx, which matches no origin entry/),
      '  warning: the log reports 5 failures; 4 could be matched (robocopy summary: Files FAILED 5)',
      '',
    ]);
    const json = JSON.parse(runCli(['--config', space.config, '--json', 'import', '--source', 'wintermute-mdt', '--log', second], { dataDir: space.dataDir }).stdout);
    expect(json).toMatchObject({ file: second, matched: 5, unmatched: 1, warnings: [{ kind: 'unmatched-path' }, { kind: 'summary-mismatch' }] });
  });

  it('rejects an unknown logEncoding with the key and the reason', () => {
    const space = wintermuteSpace(unilog(robocopyLogText()));
    fs.appendFileSync(space.config, '    logEncoding: klingon\n');
    const result = runCli(['--config', space.config, 'scan'], { dataDir: space.dataDir });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('sources[0].logEncoding: unknown encoding');
  });
});
