import { quoted } from '@fleetline/platform';
import { type AdminCommand, firstArg, noArgs, required } from './command.js';
import { type AdminContext, audit, forOption, requireStore, requireVehicleRef } from './context.js';
import { AdminError, AdminErrorCodes } from './errors.js';
import type { ParsedArgs } from './flags.js';
import type { CommandOutput } from './output.js';

/**
 * `fleetline vehicles share|unshare`: another store of the vehicle's organisation sees it too
 * (a car serviced away from its home store). The home store sees it always.
 */

async function setShared(
  ctx: AdminContext,
  args: ParsedArgs,
  share: boolean,
): Promise<CommandOutput> {
  const vehicle = await requireVehicleRef(ctx, firstArg(args));
  // Only a store of the vehicle's own organisation is found; a disabled one takes no share.
  const store = await forOption(
    '--store',
    requireStore(ctx, vehicle.orgId, required(args, '--store'), { enabled: share }),
  );
  if (store.id === vehicle.homeStoreId) {
    throw new AdminError(
      AdminErrorCodes.refused,
      `--store: ${store.code} is the home store of vehicle ${vehicle.vin}, which sees it always; share it with another store`,
    );
  }
  const shared = vehicle.sharedStoreIds.includes(store.id);
  if (!share && !shared) {
    throw new AdminError(
      AdminErrorCodes.refused,
      `--store: vehicle ${vehicle.vin} is not shared with ${quoted(store.code)}`,
    );
  }
  if (share !== shared) {
    await (share
      ? ctx.db.shareVehicle(vehicle.id, store.id)
      : ctx.db.unshareVehicle(vehicle.id, store.id));
    await audit(ctx, {
      orgId: vehicle.orgId,
      action: share ? 'vehicle.share' : 'vehicle.unshare',
      target: `vehicle:${vehicle.id}`,
      detail: { storeId: store.id },
    });
  }
  const done = share
    ? shared
      ? 'was shared with it already'
      : 'shared with it'
    : 'no longer shared with it';
  return {
    json: { vehicleId: vehicle.id, storeId: store.id, shared: share },
    text: `store ${store.code}: vehicle ${vehicle.vin} ${done}\n`,
  };
}

const shareArgs = { ...noArgs, positionals: ['VEHICLE'], required: ['--store'] };

export const shareCommands: readonly AdminCommand[] = [
  {
    name: 'share',
    args: shareArgs,
    synopsis: 'VEHICLE --store ID|CODE',
    doc: 'another store of its organisation sees the vehicle (id, VIN or device id) too',
    run: (ctx, args) => setShared(ctx, args, true),
  },
  {
    name: 'unshare',
    args: shareArgs,
    synopsis: 'VEHICLE --store ID|CODE',
    doc: 'undo share',
    run: (ctx, args) => setShared(ctx, args, false),
  },
];
