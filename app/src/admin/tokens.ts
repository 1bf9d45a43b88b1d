import { type ApiTokenRecord, checkText, quoted } from '@fleetline/platform';
import { type AdminCommand, firstArg, noArgs, required } from './command.js';
import { audit, isoTime, optionValue, requireOrg } from './context.js';
import { AdminError, AdminErrorCodes } from './errors.js';
import { ArgumentError } from './flags.js';
import { grantFromArgs, grantLabels } from './grants.js';
import { table } from './output.js';

/**
 * `fleetline tokens …`: API tokens of integrations (`Authorization: Bearer flt_…`), with the
 * limits the HTTP API gives them. The token is printed once, when it is made; the records keep
 * only its hash, so a list shows everything but the token.
 */

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 90;
const MAX_DAYS = 731;
const MAX_NAME = 128;

function daysOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_DAYS;
  const days = /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(days >= 1 && days <= MAX_DAYS)) {
    throw new ArgumentError(
      `--days: ${quoted(value)} is not a number of days from 1 to ${MAX_DAYS}`,
    );
  }
  return days;
}

const tokenJson = (t: ApiTokenRecord) => ({
  ...t,
  created: isoTime(t.createdMs),
  expires: isoTime(t.expiresMs),
  ...(t.revokedMs === undefined ? {} : { revoked: isoTime(t.revokedMs) }),
});

export const tokenCommands: readonly AdminCommand[] = [
  {
    name: 'add',
    args: {
      ...noArgs,
      required: ['--org', '--name', '--role'],
      optional: ['--store', '--days'],
    },
    synopsis: `--org ID --name NAME --role ROLE [--store ID|CODE] [--days D (default ${DEFAULT_DAYS})]`,
    doc: 'a token for an integration, organisation-wide or in one store; printed only now',
    async run(ctx, args) {
      const name = optionValue(
        '--name',
        checkText('token name', required(args, '--name'), { maxLength: MAX_NAME }),
      );
      const days = daysOption(args.values.get('--days'));
      const org = await requireOrg(ctx, required(args, '--org'));
      // The same role names and scopes as a person's grant; a token has no group scope.
      const grant = await grantFromArgs(ctx, org.id, args);
      const nowMs = ctx.nowMs();
      const { token, record } = await ctx.issueToken(
        ctx.db,
        {
          name,
          orgId: org.id,
          ...(grant.storeId === undefined ? {} : { storeId: grant.storeId }),
          role: grant.role,
          createdBy: 'cli',
          expiresMs: nowMs + days * DAY_MS,
        },
        nowMs,
      );
      await audit(ctx, {
        orgId: org.id,
        action: 'token.create',
        target: `token:${record.id}`,
        detail: {
          role: grant.role,
          ...(grant.storeId === undefined ? {} : { storeId: grant.storeId }),
        },
      });
      const [label] = await grantLabels(ctx, org.id, [grant]);
      return {
        json: { ...tokenJson(record), token },
        text:
          `token ${quoted(name)} added: id ${record.id}, ${label}, expires ${isoTime(record.expiresMs)}\n` +
          `token (shown only now; keep it as a password): ${token}\n`,
      };
    },
  },
  {
    name: 'list',
    args: { ...noArgs, required: ['--org'] },
    synopsis: '--org ID',
    doc: "the organisation's tokens (never the tokens themselves), revoked and expired ones too",
    async run(ctx, args) {
      const org = await requireOrg(ctx, required(args, '--org'), { enabled: false });
      const tokens = await ctx.db.listTokens(org.id);
      const stores = new Map((await ctx.db.listStores(org.id)).map((s) => [s.id, s.code]));
      return {
        json: tokens.map(tokenJson),
        text: table(
          ['ID', 'NAME', 'ROLE', 'STORE', 'CREATED', 'EXPIRES', 'REVOKED'],
          tokens.map((t) => [
            t.id,
            t.name,
            t.role,
            t.storeId === undefined ? undefined : (stores.get(t.storeId) ?? t.storeId),
            isoTime(t.createdMs),
            isoTime(t.expiresMs),
            t.revokedMs === undefined ? undefined : isoTime(t.revokedMs),
          ]),
        ),
      };
    },
  },
  {
    name: 'revoke',
    args: { ...noArgs, positionals: ['ID'] },
    synopsis: 'ID',
    doc: 'the token is refused from its next request on (revoking a revoked one changes nothing)',
    async run(ctx, args) {
      const id = firstArg(args);
      const atMs = ctx.nowMs();
      const token = await ctx.db.revokeToken(id, atMs);
      if (!token) {
        throw new AdminError(
          AdminErrorCodes.notFound,
          `no token ${quoted(id)}: \`fleetline tokens list --org ID\` shows their ids`,
        );
      }
      // revokeToken keeps the first revocation's time: a different one means it was there.
      const already = token.revokedMs !== atMs;
      if (!already) {
        await audit(ctx, { orgId: token.orgId, action: 'token.revoke', target: `token:${id}` });
      }
      const when = isoTime(token.revokedMs as number);
      return {
        json: tokenJson(token),
        text: already
          ? `token ${quoted(token.name)} was revoked already, at ${when}\n`
          : `token ${quoted(token.name)} revoked\n`,
      };
    },
  },
];
