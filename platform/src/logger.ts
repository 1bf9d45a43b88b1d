import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Structured JSON logs on stdout; one logger per process, children per component. */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
