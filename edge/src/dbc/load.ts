import { readFile } from 'node:fs/promises';
import type { DbcDatabase } from './model.js';
import { parseDbc } from './parser.js';

/**
 * Windows-1252 code points for bytes 0x80..0x9F (the rest of the byte range is Latin-1).
 * cantools reads DBC files as cp1252 with errors replaced, so the five bytes cp1252 leaves
 * undefined become U+FFFD, as they do there.
 */
const CP1252_HIGH = [
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
  0x0152, 0xfffd, 0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
];

/** Decodes bytes as Windows-1252 (Node's TextDecoder treats that label as plain Latin-1). */
export function decodeCp1252(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /[\x80-\x9f]/.test(text)
    ? text.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!))
    : text;
}

/**
 * Reads and parses a DBC file. File-system errors (ENOENT, EACCES) are passed on as they are;
 * a file that does not parse throws DbcError naming `path` and the line.
 */
export async function loadDbcFile(path: string): Promise<DbcDatabase> {
  return parseDbc(decodeCp1252(await readFile(path)), path);
}
