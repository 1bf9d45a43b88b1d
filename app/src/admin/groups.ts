import {
  checkText,
  nameLimits,
  quoted,
  type VehicleGroup,
  type VehicleRecord,
} from '@fleetline/platform';
import { type AdminCommand, noArgs, required } from './command.js';
import {
  type AdminContext,
  audit,
  isoTime,
  optionValue,
  requireGroup,
  requireOrg,
  requireVehicleRef,
} from './context.js';
import { AdminError, AdminErrorCodes } from './errors.js';
import { type CommandOutput, table } from './output.js';

/**
 * `fleetline groups …`: vehicle groups (a leasing company's fleets). Fleet managers granted on
 * a group see only its vehicles, so a group holds only vehicles of its own organisation.
 */

const groupJson = (g: VehicleGroup) => ({ ...g, created: isoTime(g.createdMs) });

/**
 * The group, named by id or name, in the vehicle's organisation. A group of another
 * organisation is refused naming both, not reported as missing: the operator typed a real id.
 */
async function groupOfVehicle(
  ctx: AdminContext,
  ref: string,
  vehicle: VehicleRecord,
): Promise<VehicleGroup> {
  const own = (await ctx.db.listGroups(vehicle.orgId)).find((g) => g.id === ref);
  if (own) return own;
  for (const org of await ctx.db.listOrganisations()) {
    if (org.id === vehicle.orgId) continue;
    if ((await ctx.db.listGroups(org.id)).some((g) => g.id === ref)) {
      const home = await requireOrg(ctx, vehicle.orgId, { enabled: false });
      throw new AdminError(
        AdminErrorCodes.refused,
        `VEHICLE: vehicle ${vehicle.vin} belongs to ${quoted(home.name)}, the group ${quoted(ref)} to ${quoted(org.name)}: a group holds only its organisation's vehicles`,
      );
    }
  }
  return requireGroup(ctx, vehicle.orgId, ref);
}

async function membership(
  ctx: AdminContext,
  groupRef: string,
  vehicleRef: string,
  add: boolean,
): Promise<CommandOutput> {
  const vehicle = await requireVehicleRef(ctx, vehicleRef);
  const group = await groupOfVehicle(ctx, groupRef, vehicle);
  const member = vehicle.groupIds.includes(group.id);
  if (!add && !member) {
    throw new AdminError(
      AdminErrorCodes.refused,
      `vehicle ${vehicle.vin} is not in the group ${quoted(group.name)}`,
    );
  }
  if (add !== member) {
    await (add
      ? ctx.db.addToGroup(group.id, vehicle.id)
      : ctx.db.removeFromGroup(group.id, vehicle.id));
    await audit(ctx, {
      orgId: vehicle.orgId,
      action: add ? 'group.add_vehicle' : 'group.remove_vehicle',
      target: `group:${group.id}`,
      detail: { vehicleId: vehicle.id, vin: vehicle.vin },
    });
  }
  const done = add ? (member ? 'was in it already' : 'added to it') : 'removed from it';
  return {
    json: { groupId: group.id, vehicleId: vehicle.id, member: add },
    text: `group ${group.name}: vehicle ${vehicle.vin} ${done}\n`,
  };
}

const memberArgs = { ...noArgs, positionals: ['GROUP', 'VEHICLE'] };

export const groupCommands: readonly AdminCommand[] = [
  {
    name: 'add',
    args: { ...noArgs, required: ['--org', '--name'] },
    synopsis: '--org ID --name NAME',
    doc: 'add a vehicle group (a fleet); its name is unique in the organisation',
    async run(ctx, args) {
      const name = optionValue(
        '--name',
        checkText('group name', required(args, '--name'), { maxLength: nameLimits.store }),
      );
      const org = await requireOrg(ctx, required(args, '--org'));
      // Commands name a group by its name, so two of one name would make it ambiguous.
      const same = (await ctx.db.listGroups(org.id)).find((g) => g.name === name);
      if (same) {
        throw new AdminError(
          AdminErrorCodes.refused,
          `--name: ${org.name} has a group ${quoted(name)} already: id ${same.id}`,
        );
      }
      const group = await ctx.db.createGroup({ orgId: org.id, name });
      await audit(ctx, {
        orgId: org.id,
        action: 'group.create',
        target: `group:${group.id}`,
        detail: { name },
      });
      return {
        json: groupJson(group),
        text: `group ${name} added to ${org.name}: id ${group.id}\n`,
      };
    },
  },
  {
    name: 'list',
    args: { ...noArgs, required: ['--org'] },
    synopsis: '--org ID',
    doc: "the organisation's vehicle groups and how many vehicles each holds",
    async run(ctx, args) {
      const org = await requireOrg(ctx, required(args, '--org'), { enabled: false });
      const [groups, vehicles] = await Promise.all([
        ctx.db.listGroups(org.id),
        ctx.db.listVehicles({ orgIds: [org.id], storeIds: [], groupIds: [] }),
      ]);
      const count = (g: VehicleGroup) => vehicles.filter((v) => v.groupIds.includes(g.id)).length;
      return {
        json: groups.map((g) => ({ ...groupJson(g), vehicles: count(g) })),
        text: table(
          ['ID', 'NAME', 'VEHICLES', 'CREATED'],
          groups.map((g) => [g.id, g.name, count(g), isoTime(g.createdMs)]),
        ),
      };
    },
  },
  {
    name: 'add-vehicle',
    args: memberArgs,
    synopsis: 'GROUP VEHICLE',
    doc: 'put the vehicle (id, VIN or device id) in the group (id or name) of its organisation',
    run: (ctx, args) =>
      membership(ctx, args.positionals[0] as string, args.positionals[1] as string, true),
  },
  {
    name: 'remove-vehicle',
    args: memberArgs,
    synopsis: 'GROUP VEHICLE',
    doc: 'take the vehicle out of the group',
    run: (ctx, args) =>
      membership(ctx, args.positionals[0] as string, args.positionals[1] as string, false),
  },
];
