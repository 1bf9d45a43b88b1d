import { type Grant, quoted, type Role, roleInfo, roleNames, roles } from '@fleetline/platform';
import { type AdminCommand, firstArg, noArgs, required } from './command.js';
import {
  type AdminContext,
  audit,
  forOption,
  requireGroup,
  requireStore,
  requireUser,
} from './context.js';
import { AdminError, AdminErrorCodes } from './errors.js';
import { ArgumentError, type ParsedArgs } from './flags.js';

/**
 * Roles and grants: `users grant|revoke|roles`, and the grant `users add` gives. A grant's
 * scope is the organisation (neither --store nor --group), one store, or one vehicle group;
 * roles.ts says which scopes each role may have.
 */

export const grantOptions = ['--role', '--store', '--group'] as const;
export const grantExclusive = [['--store', '--group']] as const;

function roleOption(value: string): Role {
  const info = roleInfo(value);
  if (!info) {
    throw new ArgumentError(
      `--role: ${quoted(value)} is not a role: use one of ${roleNames.join(', ')} (\`fleetline users roles\` says what each may do)`,
    );
  }
  return info.role;
}

/** The grant the options describe, in the organisation; its store or group must be there. */
export async function grantFromArgs(
  ctx: AdminContext,
  orgId: string,
  args: ParsedArgs,
): Promise<Grant> {
  const role = roleOption(required(args, '--role'));
  const scopes = (roleInfo(role) as { scopes: readonly string[] }).scopes;
  const store = args.values.get('--store');
  const group = args.values.get('--group');
  const scope = store !== undefined ? 'store' : group !== undefined ? 'group' : 'organisation';
  if (!scopes.includes(scope)) {
    const allowed = scopes.map((s) =>
      s === 'organisation' ? 'organisation-wide (no --store or --group)' : `--${s}`,
    );
    throw new ArgumentError(
      `--role: ${role} cannot be granted ${scope === 'organisation' ? 'organisation-wide' : `per ${scope}`}: grant it ${allowed.join(' or ')}`,
    );
  }
  if (store !== undefined) {
    return {
      role,
      orgId,
      storeId: (await forOption('--store', requireStore(ctx, orgId, store))).id,
    };
  }
  if (group !== undefined) {
    return {
      role,
      orgId,
      groupId: (await forOption('--group', requireGroup(ctx, orgId, group))).id,
    };
  }
  return { role, orgId };
}

/** A grant as people read it: `store_manager`, `store_manager @north`, `fleet_manager @group:Name`. */
export async function grantLabels(
  ctx: AdminContext,
  orgId: string,
  grants: readonly Grant[],
): Promise<string[]> {
  if (grants.length === 0) return [];
  const stores = new Map((await ctx.db.listStores(orgId)).map((s) => [s.id, s.code]));
  const groups = new Map((await ctx.db.listGroups(orgId)).map((g) => [g.id, g.name]));
  return grants.map((g) =>
    g.storeId !== undefined
      ? `${g.role} @${stores.get(g.storeId) ?? g.storeId}`
      : g.groupId !== undefined
        ? `${g.role} @group:${groups.get(g.groupId) ?? g.groupId}`
        : g.role,
  );
}

const grantDetail = (g: Grant) => ({
  role: g.role,
  ...(g.storeId === undefined ? {} : { storeId: g.storeId }),
  ...(g.groupId === undefined ? {} : { groupId: g.groupId }),
});

const grantArgs = {
  ...noArgs,
  positionals: ['ID'],
  required: ['--role'],
  optional: ['--store', '--group'],
  exclusive: grantExclusive,
};

export const grantCommands: readonly AdminCommand[] = [
  {
    name: 'grant',
    args: grantArgs,
    synopsis: 'ID --role ROLE [--store ID|CODE | --group ID|NAME]',
    doc: 'give the user a role (granting what is granted changes nothing)',
    async run(ctx, args) {
      const user = await requireUser(ctx, firstArg(args));
      const grant = await grantFromArgs(ctx, user.orgId, args);
      await ctx.db.grantRole(user.id, grant);
      await audit(ctx, {
        orgId: user.orgId,
        action: 'role.grant',
        target: `user:${user.id}`,
        detail: grantDetail(grant),
      });
      const [label] = await grantLabels(ctx, user.orgId, [grant]);
      return { json: { userId: user.id, grant }, text: `${user.name}: ${label} granted\n` };
    },
  },
  {
    name: 'revoke',
    args: grantArgs,
    synopsis: 'ID --role ROLE [--store ID|CODE | --group ID|NAME]',
    doc: 'take exactly that grant away',
    async run(ctx, args) {
      const user = await requireUser(ctx, firstArg(args));
      const grant = await grantFromArgs(ctx, user.orgId, args);
      const [label] = await grantLabels(ctx, user.orgId, [grant]);
      if (!(await ctx.db.revokeRole(user.id, grant))) {
        const held = await grantLabels(ctx, user.orgId, await ctx.db.grantsOf(user.id));
        throw new AdminError(
          AdminErrorCodes.refused,
          `${quoted(user.name)} does not hold ${label}: they hold ${held.join(', ') || 'no role'}`,
        );
      }
      await audit(ctx, {
        orgId: user.orgId,
        action: 'role.revoke',
        target: `user:${user.id}`,
        detail: grantDetail(grant),
      });
      return { json: { userId: user.id, grant }, text: `${user.name}: ${label} revoked\n` };
    },
  },
  {
    name: 'roles',
    args: noArgs,
    synopsis: '',
    doc: 'every role, where it may be granted and what it may do',
    async run() {
      const text = roles
        .map(
          (r) =>
            `${r.role}  (granted ${r.scopes.map((s) => (s === 'organisation' ? 'organisation-wide' : `per ${s}`)).join(', ')})\n  ${r.doc}\n  may: ${r.permissions.join(', ')}\n`,
        )
        .join('\n');
      return { json: roles, text };
    },
  },
];
