import { quoted, RecordConflictError, type RecordsDb } from '@fleetline/platform';
import { FleetlineError } from '@fleetline/proto';
import type { CliIo } from '../cli.js';
import { adminGroups, adminUsage, commandUsage } from './commands.js';
import type { PasswordTools, TokenIssuer } from './context.js';
import { ArgumentError, parseArgs } from './flags.js';
import { render } from './output.js';

/**
 * `fleetline orgs|stores|users|vehicles|tokens|groups …`: the administration commands. They work on the
 * records database the running system uses (the same configuration: data folder or
 * DATABASE_URL). Exit codes: 0 done, 1 refused (nothing written), 2 bad usage.
 */

export interface AdminOptions {
  /** Opens the records database of the configuration. */
  readonly openRecords: () => Promise<RecordsDb>;
  readonly passwords: PasswordTools;
  readonly issueToken: TokenIssuer;
  readonly nowMs?: () => number;
}

const conflictOption: Readonly<Record<string, string>> = {
  vin: '--vin',
  deviceId: '--device',
  username: '--username',
  mobile: '--mobile',
  code: '--code',
};

/** The message of a refusal: the records' own errors name their field as the option. */
function refusal(err: unknown): string | undefined {
  if (err instanceof RecordConflictError) {
    return `${conflictOption[err.field] ?? err.field}: ${err.message}`;
  }
  if (err instanceof FleetlineError) {
    return err.retryable ? `${err.message} (try again)` : err.message;
  }
  return undefined;
}

export async function adminMain(
  argv: readonly string[],
  io: CliIo,
  options: AdminOptions,
): Promise<number> {
  const [group = '', name, ...rest] = argv;
  const commands = adminGroups[group];
  if (!commands) throw new Error(`not an administration group: ${group}`);
  const command = commands.find((c) => c.name === name);
  if (name === undefined || name === '--help' || name === '-h' || !command) {
    if (name !== undefined && name !== '--help' && name !== '-h') {
      io.stderr.write(`fleetline: ${group} ${quoted(name)}: not a command\n`);
    }
    io.stderr.write(`usage:\n${adminUsage(group)}`);
    return name === '--help' || name === '-h' ? 0 : 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`usage: ${commandUsage(group, command)}\n  ${command.doc}\n`);
    return 0;
  }
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(rest, { ...command.args, switches: [...command.args.switches, '--json'] });
  } catch (err) {
    if (!(err instanceof ArgumentError)) throw err;
    io.stderr.write(`fleetline: ${err.message}\nusage: ${commandUsage(group, command)}\n`);
    return 2;
  }
  let db: RecordsDb | undefined;
  try {
    db = await options.openRecords();
    const ctx = {
      db,
      passwords: options.passwords,
      issueToken: options.issueToken,
      nowMs: options.nowMs ?? Date.now,
    };
    const output = await command.run(ctx, args);
    io.stdout.write(render(output, args.switches.has('--json')));
    if (output.refused === undefined) return 0;
    io.stderr.write(`fleetline: ${output.refused}\n`);
    return 1;
  } catch (err) {
    if (err instanceof ArgumentError) {
      io.stderr.write(`fleetline: ${err.message}\n`);
      return 2;
    }
    const message = refusal(err);
    if (message === undefined) throw err;
    io.stderr.write(`fleetline: ${message}\n`);
    return 1;
  } finally {
    await db?.close();
  }
}
