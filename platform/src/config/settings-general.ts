import Type from 'typebox';
import { setting } from './setting.js';

/** Settings every server process reads. */
export const generalSettings = {
  dataDir: setting(
    'FLEETLINE_DATA_DIR',
    Type.String({ minLength: 1 }),
    '.data',
    'Folder for the embedded log, the SQLite database and other local state; kept owner-only (0700, its files 0600).',
    'all',
  ),
  logLevel: setting(
    'LOG_LEVEL',
    Type.Union([
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ]),
    'info',
    'Log level of the JSON logs (fatal, error, warn, info, debug, trace, silent).',
    'all',
  ),
} as const;
