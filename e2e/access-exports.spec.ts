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
    const toFetch = json.recovery.flatMap((source: { entries: { path: string }[] }) => source.entries.map((entry) => entry.path));
    expect(toFetch).toContain(`${hostileName.split('\n')[0]}.txt`);
  });

  test('Markdown: no HTML element outside code, one table row per item, the name to fetch in a code span', async ({ localApp }) => {
    const markdown = await report(localApp.url, 'md');
    expect(outsideCode(markdown).match(/<(?!br>)[a-z/!]/gi) ?? []).toEqual([]);
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;\\|two\\n\\`\\`\\`\\nlines.part');
    const listed = markdown.split('\n').filter((line) => line.includes(hostileName.split('\n')[0]!));
    expect(listed).toEqual([`- placeholder: \`${hostileName.split('\n')[0]}.txt\``]);
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

  test('the communication-log entry and the recovery list are plain text, downloaded, sandboxed', async ({ localApp }) => {
    expect(await report(localApp.url, 'comms-log')).not.toContain(hostileTag);
    const list = await fetch(`${localApp.url}/api/recovery?source=mike`);
    expect(list.status).toBe(200);
    // A manual source out of the server's reach: the list for a person, one name a line.
    expect(list.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(list.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(list.headers.get('content-security-policy')).toContain('sandbox');
    expect((await list.text()).split('\n')).toContain(`${hostileName.split('\n')[0]}.txt`);
  });
});
