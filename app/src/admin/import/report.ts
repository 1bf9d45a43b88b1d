import { printable } from '@fleetline/platform';
import { type CommandOutput, table } from '../output.js';
import type { ImportResult } from './run-import.js';

/** What `vehicles import` prints: a summary, then every problem by row and column. */
export function importReport(
  file: string,
  result: ImportResult,
  { dryRun, ignored }: { dryRun: boolean; ignored: readonly string[] },
): CommandOutput {
  const count = (status: string) => result.outcomes.filter((o) => o.status === status).length;
  const [fresh, unchanged] = [count('new'), count('unchanged')];
  const rowsWithProblems = new Set(result.problems.map((p) => p.row)).size;
  const lines = [
    `${printable(file)}: ${result.rows} rows — ${fresh} new, ${unchanged} already there with the same values, ${rowsWithProblems} with problems`,
  ];
  if (ignored.length > 0) lines.push(`columns not read: ${ignored.map(printable).join(', ')}`);
  const json = {
    file,
    dryRun,
    rows: result.rows,
    new: fresh,
    unchanged,
    created: result.created.map((v) => ({ id: v.id, vin: v.vin })),
    ignoredColumns: ignored,
    problems: result.problems,
  };
  if (result.problems.length > 0) {
    const text = `${lines.join('\n')}\n${table(
      ['ROW', 'COLUMN', 'PROBLEM'],
      result.problems.map((p) => [p.row, p.column, p.reason]),
    )}`;
    return {
      json,
      text,
      refused: `${result.problems.length} problem(s) in ${rowsWithProblems} row(s): nothing imported; correct the file and import it again`,
    };
  }
  if (dryRun)
    lines.push(`dry run: nothing written; without --dry-run ${fresh} vehicle(s) would be added`);
  else if (fresh === 0) lines.push('nothing to change');
  else lines.push(`imported ${result.created.length} vehicle(s)`);
  return { json, text: `${lines.join('\n')}\n` };
}
