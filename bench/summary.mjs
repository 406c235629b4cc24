// Prints the results every benchmark recorded (JSON lines) as one table; exit 1 when a target was missed.
import fs from 'node:fs';

const file = process.argv[2];
const results = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));
if (results.length === 0) {
  console.log('no benchmark results recorded');
  process.exit(1);
}
const rows = results.map((r) => [
  r.bench,
  r.metric,
  `${typeof r.value === 'number' ? Number(r.value.toPrecision(4)) : r.value}${r.unit ? ` ${r.unit}` : ''}`,
  r.target ?? '',
  r.pass === undefined ? '' : r.pass ? 'ok' : 'MISSED',
  r.detail ?? '',
]);
const header = ['bench', 'metric', 'value', 'target', '', 'detail'];
const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => String(row[column]).length)));
const line = (row) => row.map((cell, column) => String(cell).padEnd(widths[column])).join('  ').trimEnd();
console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
for (const row of rows) console.log(line(row));
const missed = results.filter((r) => r.pass === false).length;
console.log(missed ? `\n${missed} target(s) missed` : '\nall targets met');
process.exit(missed ? 1 : 0);
