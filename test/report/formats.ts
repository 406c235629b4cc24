/** Reading report formats as their consumers would: Markdown outside code, CSV cells. */

/** Markdown source outside code spans and fenced blocks, where a renderer would interpret HTML. */
export function outsideCode(markdown: string): string {
  // A backslash-escaped backtick is a character, not the start of a code span.
  const withoutBlocks = markdown.replace(/^(`{3,})\n[\s\S]*?\n\1$/gm, '').replace(/\\`/g, '');
  return withoutBlocks.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
}

/** RFC 4180 parsing, enough to see each cell as a spreadsheet would. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  return rows;
}

/** Cells a spreadsheet would run as a formula. */
export const formulaCell = /^[=+\-@\t\r]/;
