import type { CommandQueue } from './commands.js';
import type { DeviceRegistry } from './devices.js';
import type { EventTable } from './events.js';
import type { LatestValueTable } from './latest.js';
import type { SampleTable } from './samples.js';
import type { ServiceTable } from './services.js';
import type { SnapshotTable } from './snapshots.js';
import type { DeviceStatusTable } from './status.js';
import type { VehicleTable } from './vehicles.js';

/**
 * The TelemetryDb port: the high-volume data — time series, events, snapshots, the device
 * registry — Cassandra in production, SQLite embedded. Every write is idempotent:
 * writing the same row twice leaves one row, which is what makes re-delivery from the log
 * harmless. One contract test suite runs against both adapters.
 *
 * It is its parts together, one interface per kind of data, so that code needing one part
 * (the gateway: devices and held commands; an API route: its table) can ask for only that.
 */
export interface TelemetryDb
  extends SampleTable,
    VehicleTable,
    DeviceRegistry,
    CommandQueue,
    SnapshotTable,
    LatestValueTable,
    EventTable,
    DeviceStatusTable,
    ServiceTable {
  readonly kind: 'cassandra' | 'sqlite';
  close(): Promise<void>;
}

/** An operation of the TelemetryDb port: every member but `kind`. */
export type TelemetryDbOperation = Exclude<keyof TelemetryDb, 'kind'>;

/** Each operation once; the compiler says when one is added to the port and missing here. */
const operations: Record<TelemetryDbOperation, true> = {
  writeSamples: true,
  querySamples: true,
  bucketSamples: true,
  markSeen: true,
  listVehicles: true,
  getVehicle: true,
  addDevice: true,
  getDevice: true,
  listDevices: true,
  revokeDevice: true,
  saveSnapshot: true,
  loadSnapshot: true,
  close: true,
  holdCommand: true,
  pendingCommands: true,
  acknowledgeCommand: true,
  writeLatest: true,
  latestValues: true,
  writeEvents: true,
  listEvents: true,
  recordStatus: true,
  getStatus: true,
  setServicePlan: true,
  getServicePlan: true,
  recordService: true,
  listServices: true,
};

/** The names of the TelemetryDb port's operations (for adapters that treat all of them alike). */
export const telemetryDbOperations = Object.keys(operations) as readonly TelemetryDbOperation[];
