import { checkStoreCode, checkText, nameLimits, quoted, type Store } from '@fleetline/platform';
import { type AdminCommand, disableCommands, noArgs, required } from './command.js';
import { type AdminContext, audit, isoTime, optionValue, requireOrg } from './context.js';
import { AdminError, AdminErrorCodes } from './errors.js';
import type { CommandOutput } from './output.js';
import { table } from './output.js';

/** `fleetline stores …`: an organisation's stores (4S shops, branches). */

const storeJson = (s: Store) => ({ ...s, created: isoTime(s.createdMs) });

async function setDisabled(
  ctx: AdminContext,
  id: string,
  disabled: boolean,
): Promise<CommandOutput> {
  const found = await ctx.db.getStore(id);
  if (!found) {
    throw new AdminError(
      AdminErrorCodes.notFound,
      `no store ${quoted(id)}: \`fleetline stores list --org ID\` shows their ids`,
    );
  }
  const store = (await ctx.db.setStoreDisabled(id, disabled)) as Store;
  await audit(ctx, {
    orgId: store.orgId,
    action: disabled ? 'store.disable' : 'store.enable',
    target: `store:${id}`,
  });
  return {
    json: storeJson(store),
    text: `store ${store.code} ${disabled ? 'disabled' : 'enabled'}\n`,
  };
}

export const storeCommands: readonly AdminCommand[] = [
  {
    name: 'add',
    args: { ...noArgs, required: ['--org', '--name', '--code'] },
    synopsis: '--org ID --name NAME --code CODE',
    doc: 'add a store; the code is what people type (vehicle import, --store)',
    async run(ctx, args) {
      const name = optionValue(
        '--name',
        checkText('store name', required(args, '--name'), { maxLength: nameLimits.store }),
      );
      const code = optionValue('--code', checkStoreCode(required(args, '--code')));
      const org = await requireOrg(ctx, required(args, '--org'));
      const store = await ctx.db.createStore({ orgId: org.id, name, code });
      await audit(ctx, {
        orgId: org.id,
        action: 'store.create',
        target: `store:${store.id}`,
        detail: { name, code },
      });
      return {
        json: storeJson(store),
        text: `store ${code} added to ${org.name}: id ${store.id}\n`,
      };
    },
  },
  {
    name: 'list',
    args: { ...noArgs, required: ['--org'] },
    synopsis: '--org ID',
    doc: "the organisation's stores",
    async run(ctx, args) {
      const org = await requireOrg(ctx, required(args, '--org'), { enabled: false });
      const stores = await ctx.db.listStores(org.id);
      return {
        json: stores.map(storeJson),
        text: table(
          ['ID', 'CODE', 'NAME', 'DISABLED', 'CREATED'],
          stores.map((s) => [
            s.id,
            s.code,
            s.name,
            s.disabled ? 'yes' : 'no',
            isoTime(s.createdMs),
          ]),
        ),
      };
    },
  },
  ...disableCommands('the store takes no new vehicles; nothing is deleted', setDisabled),
];
