// A hostile file name through every export of a real scanned and planned space: the name holds
// HTML, a spreadsheet formula, a pipe, a newline and a code fence. In no format does it become
// markup, a formula, a new table row or the end of a code block — and it is still there to read.
import { expect, test } from './access/fixtures.ts';
import { hostileName, hostileTag } from './access/stack.ts';
import { formulaCell, outsideCode, parseCsv } from '../test/report/formats.ts';

test.describe('a hostile file name in the exports', () => {
  const report = async (url: string, format: string) => {
    const response = await fetch(`${url}/api/report?format=${format}`);
    expect(response.status, format).toBe(200);
    return response.text();
  };

  test('JSON carries the name exactly, so the others have something to escape', async ({ localApp }) => {
    const json = JSON.parse(await report(localApp.url, 'json'));
    expect(json.partials.flatMap((item: { paths: string[] }) => item.paths)).toContain(`${localApp.space}/mike/docs/${hostileName}.part`);
    expect(Object.values(json.placeholders.redownload).flat()).toContain(`${hostileName.split('\n')[0]}.txt`);
  });

  test('Markdown: no HTML element outside code, one table row per item, a fence the name cannot close', async ({ localApp }) => {
    const markdown = await report(localApp.url, 'md');
    expect(outsideCode(markdown).match(/<(?!br>)[a-z/!]/gi) ?? []).toEqual([]);
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;\\|two\\n\\`\\`\\`\\nlines.part');
    const fence = markdown.split('\n').find((line) => /^`{3,}$/.test(line));
    const listed = markdown.split('\n').filter((line) => line.startsWith(hostileName.split('\n')[0]!));
    expect(fence).toBeDefined();
    expect(listed).toEqual([`${hostileName.split('\n')[0]}.txt`]);
  });

  test('HTML: the name is text', async ({ localApp }) => {
    const html = await report(localApp.url, 'html');
    expect(html).not.toContain(hostileTag);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('CSV: no cell starts a formula', async ({ localApp }) => {
    const cells = parseCsv(await report(localApp.url, 'csv')).flat();
    expect(cells.filter((cell) => formulaCell.test(cell))).toEqual([]);
    expect(cells).toContain(`'${hostileName.split('\n')[0]}.txt`);
  });

  test('the communication-log entry and the re-download file are plain text', async ({ localApp }) => {
    expect(await report(localApp.url, 'comms-log')).not.toContain(hostileTag);
    const list = await fetch(`${localApp.url}/api/redownload?source=mike`);
    expect(list.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(list.headers.get('content-security-policy')).toContain('sandbox');
  });
});
