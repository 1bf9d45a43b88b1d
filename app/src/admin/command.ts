import type { AdminContext } from './context.js';
import type { ArgumentSpec, ParsedArgs } from './flags.js';
import type { CommandOutput } from './output.js';

/** One administration command: `fleetline <group> <name> …`. */
export interface AdminCommand {
  readonly name: string;
  /** Its arguments (every command also takes --json). */
  readonly args: ArgumentSpec;
  /** Its synopsis after `fleetline <group> <name>`, and a line on what it does. */
  readonly synopsis: string;
  readonly doc: string;
  run(ctx: AdminContext, args: ParsedArgs): Promise<CommandOutput>;
}

export const noArgs: ArgumentSpec = { positionals: [], required: [], optional: [], switches: [] };

/** The value of an option the spec requires (parseArgs has checked it is there). */
export const required = (args: ParsedArgs, flag: string): string => args.values.get(flag) as string;

/** The first positional argument (parseArgs has checked it is there). */
export const firstArg = (args: ParsedArgs): string => args.positionals[0] as string;

/** `disable ID` and `enable ID` of a group, both by one setDisabled(ctx, id, disabled). */
export function disableCommands(
  disableDoc: string,
  setDisabled: (ctx: AdminContext, id: string, disabled: boolean) => Promise<CommandOutput>,
): AdminCommand[] {
  return [true, false].map((disabled) => ({
    name: disabled ? 'disable' : 'enable',
    args: { ...noArgs, positionals: ['ID'] },
    synopsis: 'ID',
    doc: disabled ? disableDoc : 'undo disable',
    run: (ctx, args) => setDisabled(ctx, firstArg(args), disabled),
  }));
}
