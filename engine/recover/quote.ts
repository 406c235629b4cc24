/** Quoting for the command lines and scripts the recovery lists come with: bash and PowerShell. */

/**
 * One bash word: plain when safe, else in single quotes; a value with a newline or another control
 * character in ANSI-C quotes (`$'a\nb'`), which bash reads back byte for byte.
 */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f]/.test(value)) return `'${value.replace(/'/g, `'\\''`)}'`;
  let quoted = "$'";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\' || char === "'") quoted += `\\${char}`;
    else if (char === '\n') quoted += '\\n';
    else if (char === '\t') quoted += '\\t';
    else if (char === '\r') quoted += '\\r';
    else if (code < 0x20 || code === 0x7f) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    else quoted += char;
  }
  return `${quoted}'`;
}

export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/**
 * A PowerShell single-quoted string. PowerShell also takes the typographic quotes ‘ ’ ‚ ‛ as
 * single quotes, so each of them is doubled as well; nothing else is special in such a string.
 */
export function powershellQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (quote) => quote + quote)}'`;
}
