/**
 * Realistic names and contents: office documents, code, photos and media with the right magic
 * bytes, text that reads like notes. Every content carries random bytes or a random token, so two
 * generated files never share content by accident.
 */
import { png } from './formats.ts';
import type { Random } from './random.ts';

const words = [
  'account', 'agenda', 'approval', 'archive', 'budget', 'client', 'contract', 'draft', 'estimate',
  'forecast', 'invoice', 'ledger', 'meeting', 'minutes', 'offer', 'payroll', 'plan', 'proposal',
  'quote', 'receipt', 'renewal', 'review', 'roadmap', 'schedule', 'statement', 'summary', 'survey',
  'timeline', 'update', 'vendor', 'workshop', 'backlog', 'release', 'migration', 'deployment',
];
const clients = ['Armitage', 'Hosaka', 'Maas Biolabs', 'Sense Net', 'Tessier-Ashpool', 'Villa Straylight', 'Zion Cluster'];
const codeWords = ['auth', 'billing', 'cache', 'config', 'export', 'import', 'index', 'invoice', 'mailer', 'parser', 'queue', 'report', 'router', 'session', 'store', 'sync', 'upload', 'user', 'util', 'worker'];
const photoPlaces = ['Lisbon', 'Chiba', 'Berlin', 'Porto', 'Kyoto', 'Oslo'];

export type ContentKind = 'document' | 'code' | 'photo' | 'media' | 'text';

const documentExtensions = ['pdf', 'pdf', 'docx', 'xlsx', 'pptx', 'pdf'] as const;
const codeExtensions = ['ts', 'ts', 'tsx', 'js', 'json', 'py', 'css', 'md', 'yaml', 'sh'] as const;

const title = (word: string): string => word[0]!.toUpperCase() + word.slice(1);

/** A document name like "2024-03 Invoice Hosaka.pdf". */
export function documentName(random: Random): string {
  const date = `${random.int(2019, 2026)}-${String(random.int(1, 12)).padStart(2, '0')}`;
  const subject = random.chance(0.5) ? ` ${random.pick(clients)}` : ` ${title(random.pick(words))}`;
  return `${date} ${title(random.pick(words))}${subject}.${random.pick(documentExtensions)}`;
}

export function codeName(random: Random): string {
  const ext = random.pick(codeExtensions);
  const stem = random.chance(0.4) ? `${random.pick(codeWords)}-${random.pick(codeWords)}` : random.pick(codeWords);
  return `${stem}.${ext}`;
}

export function photoName(random: Random): string {
  return random.chance(0.5) ? `IMG_${random.int(1000, 9999)}.jpg` : `${random.pick(photoPlaces)} ${random.int(2019, 2026)} ${random.int(1, 99)}.jpg`;
}

export function clientFolder(random: Random): string {
  return random.pick(clients);
}

export function pickWord(random: Random): string {
  return random.pick(words);
}

/** Lines of notes-like prose with a random token, so every text is unique. */
export function prose(random: Random, lines: number): string {
  const out = [`<!-- ${random.token(16)} -->`];
  for (let line = 0; line < lines; line += 1) {
    const count = random.int(4, 14);
    out.push(
      Array.from({ length: count }, () => random.pick(words))
        .join(' ')
        .replace(/^./, (first) => first.toUpperCase()) + '.',
    );
  }
  return `${out.join('\n')}\n`;
}

function code(random: Random, ext: string, lines: number): string {
  const id = random.token(12);
  const body = Array.from({ length: lines }, (_, index) => {
    const name = `${random.pick(codeWords)}${title(random.pick(codeWords))}${index}`;
    if (ext === 'py') return `def ${name}(value):\n    return value * ${random.int(1, 99)}\n`;
    if (ext === 'json') return `  "${name}": ${random.int(0, 9999)},`;
    if (ext === 'css') return `.${name} { margin: ${random.int(0, 32)}px; }`;
    if (ext === 'yaml') return `${name}: ${random.int(0, 9999)}`;
    if (ext === 'sh') return `echo "${name}" >> "$LOG"`;
    if (ext === 'md') return `- ${name}: ${random.pick(words)} ${random.pick(words)}`;
    return `export const ${name} = ${random.int(0, 9999)}; // ${random.pick(words)}`;
  });
  if (ext === 'json') return `{\n  "id": "${id}",\n${body.join('\n')}\n  "end": true\n}\n`;
  return `${ext === 'py' || ext === 'sh' || ext === 'yaml' ? '#' : '//'} ${id}\n${body.join('\n')}\n`;
}

const magic: Record<string, Buffer> = {
  pdf: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
  docx: Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'),
  xlsx: Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'),
  pptx: Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'),
  zip: Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'),
  key: Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'),
  jpg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  mov: Buffer.from('\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ', 'latin1'),
  mp4: Buffer.from('\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom', 'latin1'),
  psd: Buffer.from('8BPS\x00\x01', 'latin1'),
  sqlite: Buffer.from('SQLite format 3\x00', 'latin1'),
  dwg: Buffer.from('AC1032', 'latin1'),
  nef: Buffer.from('MM\x00*', 'latin1'),
  iso: Buffer.from('\x00'.repeat(32) + 'CD001', 'latin1'),
};

const textExtensions = new Set(['ts', 'tsx', 'js', 'json', 'py', 'css', 'md', 'yaml', 'sh', 'txt', 'csv', 'html']);

/** Content for a file named `name`, roughly `size` bytes (text sizes are approximate). */
export function contentFor(random: Random, name: string, size: number): Buffer {
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  if (ext === 'png') {
    const side = Math.max(8, Math.min(96, Math.round(Math.sqrt(size / 3))));
    return png(side, side, () => [random.int(0, 255), random.int(0, 255), random.int(0, 255)]);
  }
  if (textExtensions.has(ext)) {
    const lines = Math.max(3, Math.round(size / 48));
    return Buffer.from(ext === 'md' || ext === 'txt' ? prose(random, lines) : code(random, ext, lines), 'utf8');
  }
  const head = magic[ext] ?? Buffer.alloc(0);
  return Buffer.concat([head, random.bytes(Math.max(16, size - head.length))]);
}

/** A typical size for a file of this kind: mostly small, now and then large. */
export function typicalSize(random: Random, name: string): number {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (['mov', 'mp4', 'iso', 'zip'].includes(ext)) return random.int(96 * 1024, 640 * 1024);
  if (['jpg', 'psd', 'nef', 'key', 'pptx'].includes(ext)) return random.int(24 * 1024, 160 * 1024);
  if (textExtensions.has(ext)) return random.int(300, 9000);
  return random.int(4 * 1024, 64 * 1024);
}
