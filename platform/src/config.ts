import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Static, TSchema } from 'typebox';
import Value from 'typebox/value';
import type { Setting } from './config/setting.js';
import { settings } from './config/settings.js';
import { ConfigError } from './errors.js';
import { linkProblems } from './links.js';

export { type Setting, setting } from './config/setting.js';
export { settings } from './config/settings.js';

/**
 * Loading the configuration: every setting (the table in config/settings.ts) read from an
 * override, the environment, a JSON file named by FLEETLINE_CONFIG or its default, in that
 * order of precedence; validated once at start-up and frozen.
 *
 * A process with settings of its own (the app's `npm start`) passes their table along
 * (`loadConfig({ settings })`): they are read, validated and documented exactly like the
 * platform's, and this package need not know what they are for.
 */

/** A table of settings by name, as `settings`. */
export type SettingsTable = { readonly [name: string]: Setting<TSchema> };
/** No settings beyond the platform's. */
export type NoSettings = Record<never, never>;
/** The values of a table's settings. */
export type ConfigOf<T extends SettingsTable> = { readonly [K in keyof T]: Static<T[K]['schema']> };

type Settings = typeof settings;
export type SettingName = keyof Settings;
export type Config = ConfigOf<Settings>;

function fromEnv(setting: Setting<TSchema>, raw: string): unknown {
  const type = (setting.schema as { type?: string }).type;
  if (type === 'array') {
    return raw
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0);
  }
  if (type === 'integer' || type === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

export interface LoadConfigOptions<E extends SettingsTable = NoSettings> {
  env?: NodeJS.ProcessEnv;
  /** Settings that win over file and environment (used by tests and the CLI). */
  overrides?: Partial<Config & ConfigOf<E>>;
  /** The loading process's own settings, after the platform's. */
  settings?: E;
}

/**
 * Reads, validates and freezes the configuration. Throws ConfigError naming every bad key
 * (as its environment variable) and the expected value.
 */
export function loadConfig<E extends SettingsTable = NoSettings>(
  options: LoadConfigOptions<E> = {},
): Config & ConfigOf<E> {
  const table: SettingsTable = { ...settings, ...options.settings };
  const names = Object.keys(table);
  const overrides: Record<string, unknown> | undefined = options.overrides;
  const env = options.env ?? process.env;
  const problems: string[] = [];
  let file: Record<string, unknown> = {};
  const filePath = env.FLEETLINE_CONFIG;
  if (filePath) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(filePath, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('the file must hold a JSON object');
      }
      file = parsed as Record<string, unknown>;
      for (const key of Object.keys(file)) {
        if (!(key in table)) {
          problems.push(
            `FLEETLINE_CONFIG ${filePath}: unknown key "${key}" (known: ${names.join(', ')})`,
          );
        }
      }
    } catch (err) {
      problems.push(`FLEETLINE_CONFIG ${filePath}: ${(err as Error).message}`);
    }
  }
  const config: Record<string, unknown> = {};
  for (const name of names) {
    const s = table[name] as Setting<TSchema>;
    const raw = env[s.env];
    const source =
      overrides && name in overrides
        ? 'override'
        : raw !== undefined
          ? `${s.env}=${s.secret ? '(hidden)' : JSON.stringify(raw)}`
          : name in file
            ? `FLEETLINE_CONFIG key "${name}"`
            : 'default';
    const value =
      overrides && name in overrides
        ? overrides[name]
        : raw !== undefined
          ? fromEnv(s, raw)
          : name in file
            ? file[name]
            : s.default;
    const errors = [...Value.Errors(s.schema, value)];
    if (errors.length > 0) {
      const first = errors[0];
      const at = first?.instancePath ? ` at ${first.instancePath}` : '';
      problems.push(`${source}: ${first?.message ?? 'invalid'}${at} — ${s.doc}`);
      continue;
    }
    config[name] = value;
  }
  if (problems.length === 0) problems.push(...linkProblems(config as Config));
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`, problems);
  }
  config.dataDir = resolve(config.dataDir as string);
  return Object.freeze(config) as Config & ConfigOf<E>;
}

/**
 * The configuration table as Markdown, from the settings above and a process's own after them
 * (for the README).
 */
export function configurationTable(own: SettingsTable = {}): string {
  const table: SettingsTable = { ...settings, ...own };
  const rows = Object.keys(table).map((name) => {
    const s = table[name] as Setting<TSchema>;
    const d = Array.isArray(s.default) ? s.default.join(',') : String(s.default);
    const shown = name === 'gatewayId' ? '`<host>-<pid>`' : d === '' ? '(empty)' : `\`${d}\``;
    return `| \`${s.env}\` | ${shown} | ${s.usedBy} | ${s.doc} |`;
  });
  return ['| variable | default | read by | meaning |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
