import { type Logger, pino } from 'pino';

/** A logger whose lines the test can read: each one parsed, in the order written. */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

/** The `msg` of each captured line, in order. */
export const messages = (lines: readonly Record<string, unknown>[]) => lines.map((l) => l.msg);
