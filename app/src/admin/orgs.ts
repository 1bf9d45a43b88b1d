import {
  checkText,
  nameLimits,
  type Organisation,
  type OrganisationKind,
  organisationKinds,
  quoted,
} from '@fleetline/platform';
import { type AdminCommand, disableCommands, noArgs, required } from './command.js';
import { type AdminContext, audit, isoTime, optionValue, requireOrg } from './context.js';
import { ArgumentError } from './flags.js';
import { type CommandOutput, table } from './output.js';

/** `fleetline orgs …`: organisations (dealer groups, leasing companies, fleet operators). */

const orgJson = (o: Organisation) => ({ ...o, created: isoTime(o.createdMs) });

function orgTable(orgs: readonly Organisation[]): string {
  return table(
    ['ID', 'NAME', 'KIND', 'DISABLED', 'CREATED'],
    orgs.map((o) => [o.id, o.name, o.kind, o.disabled ? 'yes' : 'no', isoTime(o.createdMs)]),
  );
}

function kindOption(value: string): OrganisationKind {
  if (!(organisationKinds as readonly string[]).includes(value)) {
    throw new ArgumentError(
      `--kind: ${quoted(value)} is not a kind: use one of ${organisationKinds.join(', ')}`,
    );
  }
  return value as OrganisationKind;
}

async function setDisabled(
  ctx: AdminContext,
  id: string,
  disabled: boolean,
): Promise<CommandOutput> {
  await requireOrg(ctx, id, { enabled: false });
  const org = (await ctx.db.setOrganisationDisabled(id, disabled)) as Organisation;
  await audit(ctx, {
    orgId: id,
    action: disabled ? 'org.disable' : 'org.enable',
    target: `org:${id}`,
  });
  const what = disabled ? 'disabled: its people cannot sign in, its tokens are refused' : 'enabled';
  return { json: orgJson(org), text: `organisation ${org.name} ${what}\n` };
}

export const orgCommands: readonly AdminCommand[] = [
  {
    name: 'add',
    args: { ...noArgs, required: ['--name', '--kind'] },
    synopsis: `--name NAME --kind ${organisationKinds.join('|')}`,
    doc: 'add an organisation; prints its id',
    async run(ctx, args) {
      const name = optionValue(
        '--name',
        checkText('organisation name', required(args, '--name'), {
          maxLength: nameLimits.organisation,
        }),
      );
      const kind = kindOption(required(args, '--kind'));
      const org = await ctx.db.createOrganisation({ name, kind });
      await audit(ctx, {
        orgId: org.id,
        action: 'org.create',
        target: `org:${org.id}`,
        detail: { name, kind },
      });
      return { json: orgJson(org), text: `organisation ${org.name} added: id ${org.id}\n` };
    },
  },
  {
    name: 'list',
    args: noArgs,
    synopsis: '',
    doc: 'every organisation',
    async run(ctx) {
      const orgs = await ctx.db.listOrganisations();
      return { json: orgs.map(orgJson), text: orgTable(orgs) };
    },
  },
  ...disableCommands(
    'its people can no longer sign in, its tokens are refused; nothing is deleted',
    setDisabled,
  ),
];
