import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Customer, quoted, type Store, type VehicleRecord } from '@fleetline/platform';
import { type AdminCommand, disableCommands, firstArg, noArgs, required } from './command.js';
import { type AdminContext, audit, isoTime, requireOrg, requireVehicle } from './context.js';
import { AdminError, AdminErrorCodes } from './errors.js';
import { ArgumentError } from './flags.js';
import { checkRows } from './import/check-rows.js';
import { MAX_CSV_BYTES, readVehicleCsv } from './import/csv-file.js';
import { importReport } from './import/report.js';
import { existingFor, importRow, runImport } from './import/run-import.js';
import { checkVehicleFields, type RawVehicle, type VehicleField } from './import/vehicle-fields.js';
import { type CommandOutput, table } from './output.js';

/** `fleetline vehicles …`: vehicles (VIN, plate, device, home store, owner). */

const optionOf: Readonly<Record<VehicleField, string>> = {
  vin: '--vin',
  plate: '--plate',
  make: '--make',
  model: '--model',
  year: '--year',
  device_id: '--device',
  store: '--store',
  owner_name: '--owner-name',
  owner_mobile: '--owner-mobile',
  owner_kind: '--owner-kind',
};

const vehicleJson = (v: VehicleRecord) => ({ ...v, created: isoTime(v.createdMs) });

function vehicleTable(
  vehicles: readonly VehicleRecord[],
  stores: readonly Store[],
  customers: readonly Customer[],
): string {
  const storeCode = new Map(stores.map((s) => [s.id, s.code]));
  const owner = new Map(customers.map((c) => [c.id, c.mobile ? `${c.name} ${c.mobile}` : c.name]));
  return table(
    ['ID', 'VIN', 'PLATE', 'MAKE', 'MODEL', 'YEAR', 'DEVICE', 'STORE', 'OWNER', 'DISABLED'],
    vehicles.map((v) => [
      v.id,
      v.vin,
      v.plate,
      v.make,
      v.model,
      v.year,
      v.deviceId,
      storeCode.get(v.homeStoreId) ?? v.homeStoreId,
      v.customerId === undefined ? undefined : owner.get(v.customerId),
      v.disabled ? 'yes' : 'no',
    ]),
  );
}

const optionLine = (problems: readonly { field: VehicleField; reason: string }[]): string =>
  problems.map((p) => `${optionOf[p.field]}: ${p.reason}`).join('; ');

async function addVehicle(
  ctx: AdminContext,
  orgId: string,
  raw: RawVehicle,
  nowYear: number,
): Promise<VehicleRecord> {
  // A value wrong by itself is bad usage (exit 2); one the records refuse is a refusal (1).
  const own = checkVehicleFields(raw, nowYear);
  if (!own.vehicle) throw new ArgumentError(optionLine(own.problems));
  const { vin } = own.vehicle;
  const org = await requireOrg(ctx, orgId);
  const input = [{ row: 0, raw }];
  const existing = await existingFor(ctx.db, org.id, input);
  const same = existing.vehicles.find((v) => v.vin === vin && v.orgId === org.id);
  if (same) {
    throw new AdminError(
      AdminErrorCodes.refused,
      `--vin: VIN ${vin} is registered already, as vehicle ${same.id} (\`fleetline vehicles list --org ${org.id}\`)`,
    );
  }
  const { outcomes, problems } = checkRows(input, existing, nowYear);
  if (problems.length > 0) throw new AdminError(AdminErrorCodes.refused, optionLine(problems));
  const [outcome] = outcomes;
  if (outcome?.status !== 'new')
    throw new Error('a vehicle without problems and not stored is new');
  const [vehicle] = await ctx.db.importVehicles(org.id, [
    importRow(outcome.vehicle, outcome.storeId),
  ]);
  return vehicle as VehicleRecord;
}

async function setDisabled(
  ctx: AdminContext,
  id: string,
  disabled: boolean,
): Promise<CommandOutput> {
  await requireVehicle(ctx, id);
  const v = (await ctx.db.setVehicleDisabled(id, disabled)) as VehicleRecord;
  await audit(ctx, {
    orgId: v.orgId,
    action: disabled ? 'vehicle.disable' : 'vehicle.enable',
    target: `vehicle:${id}`,
  });
  return { json: vehicleJson(v), text: `vehicle ${v.vin} ${disabled ? 'disabled' : 'enabled'}\n` };
}

const addOptions = [
  '--plate',
  '--make',
  '--model',
  '--year',
  '--device',
  '--owner-name',
  '--owner-mobile',
  '--owner-kind',
];

export const vehicleCommands: readonly AdminCommand[] = [
  {
    name: 'add',
    args: { ...noArgs, required: ['--org', '--vin', '--store'], optional: addOptions },
    synopsis:
      '--org ID --vin VIN --store CODE [--plate P --make M --model M --year Y --device D --owner-name N --owner-mobile M --owner-kind person|company]',
    doc: 'add a vehicle; an owner with the mobile of a known customer is that customer',
    async run(ctx, args) {
      const raw: RawVehicle = Object.fromEntries(
        (Object.entries(optionOf) as [VehicleField, string][]).flatMap(([field, flag]) => {
          const value = args.values.get(flag);
          return value === undefined ? [] : [[field, value]];
        }),
      );
      const vehicle = await addVehicle(
        ctx,
        required(args, '--org'),
        raw,
        new Date(ctx.nowMs()).getUTCFullYear(),
      );
      await audit(ctx, {
        orgId: vehicle.orgId,
        action: 'vehicle.create',
        target: `vehicle:${vehicle.id}`,
        detail: { vin: vehicle.vin },
      });
      return {
        json: vehicleJson(vehicle),
        text: `vehicle ${vehicle.vin} added: id ${vehicle.id}\n`,
      };
    },
  },
  {
    name: 'list',
    args: { ...noArgs, required: ['--org'] },
    synopsis: '--org ID',
    doc: "the organisation's vehicles, by plate then VIN",
    async run(ctx, args) {
      const org = await requireOrg(ctx, required(args, '--org'), { enabled: false });
      const [vehicles, stores, customers] = await Promise.all([
        ctx.db.listVehicles({ orgIds: [org.id], storeIds: [], groupIds: [] }),
        ctx.db.listStores(org.id),
        ctx.db.listCustomers(org.id),
      ]);
      return { json: vehicles.map(vehicleJson), text: vehicleTable(vehicles, stores, customers) };
    },
  },
  ...disableCommands(
    'hide the vehicle from the lists people work from; nothing is deleted',
    setDisabled,
  ),
  {
    name: 'import',
    args: { ...noArgs, positionals: ['FILE'], required: ['--org'], switches: ['--dry-run'] },
    synopsis: 'FILE.csv --org ID [--dry-run]',
    doc: 'add the vehicles of a spreadsheet (CSV UTF-8): all rows or none; a row already there with the same values is left as it is',
    async run(ctx, args) {
      const org = await requireOrg(ctx, required(args, '--org'));
      const file = firstArg(args);
      const size = await stat(file).then(
        (s) => s.size,
        (err: NodeJS.ErrnoException) => {
          throw new ArgumentError(
            `FILE: cannot read ${quoted(file, 200)}: ${err.code ?? err.message}`,
          );
        },
      );
      if (size > MAX_CSV_BYTES)
        throw new ArgumentError(
          `FILE: ${size} bytes, at most ${MAX_CSV_BYTES} are read: split the file`,
        );
      const read = readVehicleCsv(await readFile(file));
      const dryRun = args.switches.has('--dry-run');
      const name = basename(file);
      if (!read.ok) {
        return importReport(
          name,
          { rows: 0, outcomes: [], problems: read.problems, created: [] },
          { dryRun, ignored: [] },
        );
      }
      const result = await runImport(ctx.db, org.id, read.csv, {
        dryRun,
        nowYear: new Date(ctx.nowMs()).getUTCFullYear(),
      });
      if (result.created.length > 0) {
        await audit(ctx, {
          orgId: org.id,
          action: 'vehicle.import',
          target: `org:${org.id}`,
          detail: { file: name, created: result.created.length },
        });
      }
      return importReport(name, result, { dryRun, ignored: read.csv.ignored });
    },
  },
];
