import type { AppConfig } from './settings.js';

/**
 * `fleetline <command>`: administration of a Fleetline installation. It reads the same
 * configuration as the services (environment, FLEETLINE_CONFIG), so with the embedded
 * defaults it works on the data directory a running `npm start` uses, and a device added
 * here can connect at once.
 *
 *   devices add <deviceId>     register a device; prints its credentials as JSON, once
 *   devices list               the registered devices as JSON lines
 *   devices revoke <deviceId>  refuse the device from now on
 *   orgs|stores|users|vehicles|tokens|groups <command> …
 *                              the business records: organisations, stores, people and roles,
 *                              vehicles (one at a time or a spreadsheet); `fleetline users`
 *                              lists the commands of a group
 *   simulate --url … --vehicles N [options]
 *                              a fleet of virtual vehicles publishing to a gateway (load test)
 *   simulate device [outputs] [options]
 *                              one vehicle's hardware (SLCAN, GPS, IMU) on pseudo-terminals,
 *                              or as log files
 */

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const adminGroups = ['orgs', 'stores', 'users', 'vehicles', 'tokens', 'groups'];

const usage = `usage: fleetline devices <add <deviceId> | list | revoke <deviceId>>
       fleetline orgs|stores|users|vehicles|tokens|groups <command> [options]   (fleetline <group> for its commands)
       fleetline simulate --url mqtt://host:port --vehicles N [options]   (--help for options)
       fleetline simulate device [--slcan PATH] [--gnss PATH] [--imu PATH] [options]   (--help)
`;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [group, command, deviceId, ...extra] = argv;
  if (group === undefined || group === '-h' || group === '--help') {
    io.stdout.write(usage);
    return group === undefined ? 2 : 0;
  }
  // Each command loads only what it uses: the simulator never needs the database and Kafka
  // clients, and a CLI that answers a usage error at once is one people keep using.
  if (group === 'simulate') {
    const { simulateDevice, simulateFleet, stopOnSignals } = await import('@fleetline/simulator');
    const signals = stopOnSignals();
    try {
      return argv[1] === 'device'
        ? await simulateDevice(argv.slice(2), io, signals.signal)
        : await simulateFleet(argv.slice(1), io, signals.signal);
    } finally {
      signals.dispose();
    }
  }
  if (adminGroups.includes(group)) {
    const { adminCli } = await import('./admin/run.js');
    return adminCli(argv, io);
  }
  const needsId = command === 'add' || command === 'revoke';
  if (
    group !== 'devices' ||
    !['add', 'list', 'revoke'].includes(command ?? '') ||
    (needsId ? deviceId === undefined || extra.length > 0 : deviceId !== undefined)
  ) {
    io.stderr.write(`fleetline: ${argv.join(' ')}: not a command\n${usage}`);
    return 2;
  }
  const { loadConfig, openTelemetryDb } = await import('@fleetline/platform');
  const { appSettings } = await import('./settings.js');
  const { addDevice, DeviceAdminError, listDevices, revokeDevice } = await import('./devices.js');
  let config: AppConfig;
  try {
    config = loadConfig({ settings: appSettings });
  } catch (err) {
    io.stderr.write(`fleetline: ${(err as Error).message}\n`);
    return 1;
  }
  const telemetryDb = await openTelemetryDb(config).catch((err: Error) => err);
  if (telemetryDb instanceof Error) {
    io.stderr.write(`fleetline: ${telemetryDb.message}\n`);
    return 1;
  }
  try {
    if (command === 'add') {
      io.stdout.write(`${JSON.stringify(await addDevice(telemetryDb, deviceId as string))}\n`);
    } else if (command === 'revoke') {
      await revokeDevice(telemetryDb, deviceId as string);
      io.stderr.write(`fleetline: device ${deviceId} revoked\n`);
    } else {
      for (const d of await listDevices(telemetryDb)) io.stdout.write(`${JSON.stringify(d)}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof DeviceAdminError) {
      io.stderr.write(`fleetline: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await telemetryDb.close();
  }
}
