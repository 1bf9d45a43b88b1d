import { checkMobile, checkText, checkUsername, nameLimits, type User } from '@fleetline/platform';
import { type AdminCommand, disableCommands, firstArg, noArgs, required } from './command.js';
import {
  type AdminContext,
  audit,
  isoTime,
  optionValue,
  requireOrg,
  requireUser,
} from './context.js';
import { ArgumentError } from './flags.js';
import { grantExclusive, grantFromArgs, grantLabels } from './grants.js';
import { type CommandOutput, table } from './output.js';

/**
 * `fleetline users …`: people who sign in. A new user and a reset one get a one-time password,
 * printed once and stored only hashed; the first sign-in must replace it.
 */

const userJson = (u: User) => ({ ...u, created: isoTime(u.createdMs) });
const login = (u: User): string => u.username ?? u.mobile ?? u.id;

const oneTimeNote = 'one-time password (shown only now; it must be changed at the first sign-in)';

async function setDisabled(
  ctx: AdminContext,
  id: string,
  disabled: boolean,
): Promise<CommandOutput> {
  await requireUser(ctx, id);
  const user = (await ctx.db.setUserDisabled(id, disabled)) as User;
  // A disabled person is signed out everywhere at once, not when their sessions expire.
  const ended = disabled ? await ctx.db.deleteUserSessions(id) : 0;
  await audit(ctx, {
    orgId: user.orgId,
    action: disabled ? 'user.disable' : 'user.enable',
    target: `user:${id}`,
    detail: disabled ? { sessionsEnded: ended } : {},
  });
  const text = disabled
    ? `user ${login(user)} disabled; ${ended} session(s) ended\n`
    : `user ${login(user)} enabled\n`;
  return { json: { ...userJson(user), sessionsEnded: ended }, text };
}

export const userCommands: readonly AdminCommand[] = [
  {
    name: 'add',
    args: {
      ...noArgs,
      required: ['--org', '--name', '--role'],
      optional: ['--username', '--mobile', '--store', '--group'],
      exclusive: grantExclusive,
    },
    synopsis:
      '--org ID --name NAME (--username U | --mobile M) --role ROLE [--store ID|CODE | --group ID|NAME]',
    doc: 'add a person with one role; prints a one-time password',
    async run(ctx, args) {
      const name = optionValue(
        '--name',
        checkText('name', required(args, '--name'), { maxLength: nameLimits.person }),
      );
      const usernameArg = args.values.get('--username');
      const mobileArg = args.values.get('--mobile');
      if (usernameArg === undefined && mobileArg === undefined) {
        throw new ArgumentError('--username or --mobile: give the login the person signs in with');
      }
      const username =
        usernameArg === undefined
          ? undefined
          : optionValue('--username', checkUsername(usernameArg));
      const mobile =
        mobileArg === undefined ? undefined : optionValue('--mobile', checkMobile(mobileArg));
      const org = await requireOrg(ctx, required(args, '--org'));
      // The grant is checked before anything is written: a typo in --store adds nobody.
      const grant = await grantFromArgs(ctx, org.id, args);
      const password = ctx.passwords.generate();
      const user = await ctx.db.createUser({
        orgId: org.id,
        name,
        ...(username === undefined ? {} : { username }),
        ...(mobile === undefined ? {} : { mobile }),
        passwordHash: await ctx.passwords.hash(password),
        mustChangePassword: true,
      });
      await ctx.db.grantRole(user.id, grant);
      await audit(ctx, {
        orgId: org.id,
        action: 'user.create',
        target: `user:${user.id}`,
        detail: { login: login(user), role: grant.role },
      });
      const [label] = await grantLabels(ctx, org.id, [grant]);
      return {
        json: { ...userJson(user), grants: [grant], password },
        text: `user ${login(user)} added: id ${user.id}, ${label}\n${oneTimeNote}: ${password}\n`,
      };
    },
  },
  {
    name: 'list',
    args: { ...noArgs, required: ['--org'] },
    synopsis: '--org ID',
    doc: "the organisation's people and their roles",
    async run(ctx, args) {
      const org = await requireOrg(ctx, required(args, '--org'), { enabled: false });
      const users = await ctx.db.listUsers(org.id);
      const grants = await Promise.all(users.map((u) => ctx.db.grantsOf(u.id)));
      const labels = await Promise.all(grants.map((g) => grantLabels(ctx, org.id, g)));
      return {
        json: users.map((u, i) => ({ ...userJson(u), grants: grants[i] })),
        text: table(
          ['ID', 'NAME', 'USERNAME', 'MOBILE', 'ROLES', 'DISABLED', 'MUST CHANGE PASSWORD'],
          users.map((u, i) => [
            u.id,
            u.name,
            u.username,
            u.mobile,
            (labels[i] ?? []).join(', '),
            u.disabled ? 'yes' : 'no',
            u.mustChangePassword ? 'yes' : 'no',
          ]),
        ),
      };
    },
  },
  ...disableCommands('the person can no longer sign in; their sessions end now', setDisabled),
  {
    name: 'reset-password',
    args: { ...noArgs, positionals: ['ID'] },
    synopsis: 'ID',
    doc: 'a new one-time password; their sessions end now',
    async run(ctx, args) {
      const user = await requireUser(ctx, firstArg(args));
      const password = ctx.passwords.generate();
      await ctx.db.setPassword(user.id, await ctx.passwords.hash(password), true);
      const ended = await ctx.db.deleteUserSessions(user.id);
      await audit(ctx, {
        orgId: user.orgId,
        action: 'user.password_reset',
        target: `user:${user.id}`,
        detail: { sessionsEnded: ended },
      });
      return {
        json: { id: user.id, login: login(user), password, sessionsEnded: ended },
        text: `user ${login(user)}: ${ended} session(s) ended\n${oneTimeNote}: ${password}\n`,
      };
    },
  },
];
