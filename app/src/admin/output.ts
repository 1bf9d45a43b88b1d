import { printable } from '@fleetline/platform';

/**
 * What the administration commands print: aligned tables for people (Chinese names take two
 * columns of a terminal, so widths are counted as a terminal shows them), JSON for scripts.
 * Every cell goes through `printable`: records written by other paths may hold anything, and
 * a name must not be able to repaint the operator's terminal.
 */

/** What a command answers: its JSON for --json, its text for people. */
export interface CommandOutput {
  readonly json: unknown;
  readonly text: string;
  /**
   * Set when the command refused the request after reporting on it (an import with
   * problems): printed on stderr, and the command exits 1.
   */
  readonly refused?: string;
}

// East Asian Wide and Fullwidth ranges (Unicode UAX #11) and the emoji blocks: two columns.
const wide: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

function charWidth(cp: number): number {
  // Combining marks, zero-width joiner and variation selectors take no column.
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  return wide.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
}

/** Columns `text` takes in a terminal. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const c of text) w += charWidth(c.codePointAt(0) as number);
  return w;
}

const pad = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)));

export type Cell = string | number | boolean | undefined | null;

const cellText = (cell: Cell): string =>
  cell === undefined || cell === null || cell === '' ? '-' : printable(String(cell));

/** A table with a header row; an empty one says so instead. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  if (rows.length === 0) return '(none)\n';
  const texts = rows.map((r) => r.map(cellText));
  const widths = headers.map((h, i) =>
    Math.max(displayWidth(h), ...texts.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    `${cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] as number)))
      .join('  ')}\n`;
  return line(headers) + texts.map(line).join('');
}

/** A command's output as it is printed: JSON (one document) or the text. */
export const render = (output: CommandOutput, json: boolean): string =>
  json ? `${JSON.stringify(output.json, null, 2)}\n` : output.text;
