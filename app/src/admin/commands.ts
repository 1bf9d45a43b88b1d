import type { AdminCommand } from './command.js';
import { grantCommands } from './grants.js';
import { groupCommands } from './groups.js';
import { orgCommands } from './orgs.js';
import { shareCommands } from './shares.js';
import { storeCommands } from './stores.js';
import { tokenCommands } from './tokens.js';
import { userCommands } from './users.js';
import { vehicleCommands } from './vehicles.js';

/** Every administration command, by group: `fleetline <group> <command>`. */
export const adminGroups: Readonly<Record<string, readonly AdminCommand[]>> = {
  orgs: orgCommands,
  stores: storeCommands,
  users: [...userCommands, ...grantCommands],
  vehicles: [...vehicleCommands, ...shareCommands],
  groups: groupCommands,
  tokens: tokenCommands,
};

export const commandUsage = (group: string, c: AdminCommand): string =>
  `fleetline ${group} ${c.name}${c.synopsis ? ` ${c.synopsis}` : ''} [--json]`;

/** The usage of one group, or of every group. */
export function adminUsage(only?: string): string {
  const lines: string[] = [];
  for (const [group, commands] of Object.entries(adminGroups)) {
    if (only !== undefined && group !== only) continue;
    for (const c of commands) lines.push(`  ${commandUsage(group, c)}\n      ${c.doc}`);
  }
  return `${lines.join('\n')}\n--json prints JSON for scripts instead of tables. Exit 0: done; 1: refused (nothing written); 2: bad usage.\n`;
}
