import type Database from 'better-sqlite3';
import type { EventQuery } from '../port/events.js';
import type { SampleBucketQuery, SampleQuery } from '../port/samples.js';
import { DeviceReads } from './devices.js';
import { EventReads } from './events.js';
import { SampleReads } from './samples.js';
import { ServiceReads } from './services.js';
import { VehicleReads } from './vehicles.js';

/**
 * The reads whose cost grows with the data — ranges of samples, their buckets, lists of
 * vehicles, devices, events and services. They run on a reader thread's own
 * read-only connection (see read-worker.ts), never on the thread that serves devices. Each
 * part's statements are in its module; here they are gathered for the reader thread. Plain
 * functions of a connection: no threads or messages here.
 */
export class SqliteReads {
  readonly samples: SampleReads;
  readonly vehicles: VehicleReads;
  readonly devices: DeviceReads;
  readonly events: EventReads;
  readonly services: ServiceReads;

  constructor(db: Database.Database) {
    this.samples = new SampleReads(db);
    this.vehicles = new VehicleReads(db);
    this.devices = new DeviceReads(db);
    this.events = new EventReads(db);
    this.services = new ServiceReads(db);
  }
}

/** What a reader thread can be asked to do: each read takes one argument. */
export const sqliteReadOps = {
  querySamples: (r: SqliteReads, q: SampleQuery) => r.samples.querySamples(q),
  bucketSamples: (r: SqliteReads, q: SampleBucketQuery) => r.samples.bucketSamples(q),
  listVehicles: (r: SqliteReads, _: undefined) => r.vehicles.listVehicles(),
  listDevices: (r: SqliteReads, _: undefined) => r.devices.listDevices(),
  listEvents: (r: SqliteReads, q: EventQuery) => r.events.listEvents(q),
  listServices: (r: SqliteReads, q: { deviceId: string; limit: number }) =>
    r.services.listServices(q),
} as const;

export type SqliteReadOps = typeof sqliteReadOps;
