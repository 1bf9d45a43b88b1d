import { FleetlineError } from '@fleetline/proto';
import type Database from 'better-sqlite3';
import { StoreClosedError } from '../../errors.js';
import { storeError } from '../../failures/failure.js';
import { classifySqliteFailure, sqliteFailureOf } from '../../failures/sqlite.js';
import { classifyOperationFailures } from '../operation-failures.js';
import type { HeldCommand } from '../port/commands.js';
import type { DeviceRecord } from '../port/devices.js';
import type { EventQuery, EventRow } from '../port/events.js';
import type {
  SampleBucket,
  SampleBucketQuery,
  SampleQuery,
  SampleRow,
  StoredSample,
} from '../port/samples.js';
import type { ServicePlanRow, ServiceRecordRow } from '../port/services.js';
import type { ActorSnapshot } from '../port/snapshots.js';
import type { DeviceStatusRow } from '../port/status.js';
import type { TelemetryDb } from '../port/telemetry-db.js';
import type { VehicleSeen } from '../port/vehicles.js';
import { SqliteCommands } from './commands.js';
import { openWriter } from './connection.js';
import { SqliteDevices } from './devices.js';
import { SqliteEvents } from './events.js';
import { RowExpiry } from './expiry.js';
import { SqliteLatestValues } from './latest.js';
import { ReadPool } from './read-pool.js';
import type { SqliteReadOps } from './reads.js';
import { SqliteSamples } from './samples.js';
import { SqliteServices } from './services.js';
import { SqliteSnapshots } from './snapshots.js';
import { SqliteDeviceStatus } from './status.js';
import { SqliteVehicles } from './vehicles.js';

/**
 * The embedded TelemetryDb adapter on SQLite: one file, one module per part of the port
 * (its statements on the writer's connection and, for the reads that grow with the data, on
 * the reader threads), composed here with the connection, the reader threads and the expiry.
 *
 * better-sqlite3 is synchronous, so a query blocks the thread it runs on. Writes and reads by
 * key (a device, a snapshot: microseconds) stay on the caller's thread, where
 * ingest runs. Reads whose cost grows with the data — ranges of samples, their buckets, the
 * lists — go to a few reader threads with read-only connections of their own (ReadPool), so
 * however many of them run, the event loop that acknowledges devices' publishes is not held.
 *
 * Every operation fails only with the TelemetryDb's errors, classified by SQLite's result code
 * (failures/sqlite.ts) wherever it ran: SQLITE_BUSY past the busy timeout (another process
 * writing, a long checkpoint) is StoreUnavailableError, which retry loops wait out; a value
 * a table refuses or a damaged file is StoreRejectedError. See the end of this module.
 */

export interface SqliteTelemetryDbOptions {
  path: string;
  /** 0: keep samples (and events) forever. */
  samplesTtlDays: number;
  /** Reader threads for the expensive reads; default 2. */
  readWorkers?: number;
  /** Expensive reads that may wait for a reader thread; more are refused. Default 32. */
  readQueue?: number;
  /**
   * How long a statement waits for another connection's lock (another process's write, a
   * checkpoint) before it fails with SQLITE_BUSY; default 5,000 ms.
   */
  busyTimeoutMs?: number;
}

export class SqliteTelemetryDb implements TelemetryDb {
  readonly kind = 'sqlite' as const;
  /** The database file. */
  readonly path: string;
  private readonly db: Database.Database;
  private closed = false;
  private readonly reads: ReadPool<SqliteReadOps>;
  private readonly expiry: RowExpiry;
  private readonly samples: SqliteSamples;
  private readonly vehicles: SqliteVehicles;
  private readonly devices: SqliteDevices;
  private readonly commands: SqliteCommands;
  private readonly snapshots: SqliteSnapshots;
  private readonly latest: SqliteLatestValues;
  private readonly events: SqliteEvents;
  private readonly status: SqliteDeviceStatus;
  private readonly services: SqliteServices;

  constructor(options: SqliteTelemetryDbOptions) {
    this.path = options.path;
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    try {
      this.db = openWriter(options.path, busyTimeoutMs);
    } catch (err) {
      const failure = classifySqliteFailure(err);
      throw storeError(failure, `cannot open SQLite store ${options.path}: ${failure.reason}`, err);
    }
    // Started with the first expensive read: a CLI that registers a device starts none.
    this.reads = new ReadPool<SqliteReadOps>({
      script: new URL('./read-worker.js', import.meta.url),
      workerData: { path: options.path, busyTimeoutMs },
      size: options.readWorkers ?? 2,
      maxQueue: options.readQueue ?? 32,
      name: `SQLite store ${options.path}`,
      // Classified with the rest (below), as if the read had failed on this thread.
      failure: sqliteFailureOf,
    });
    const db = this.db;
    this.samples = new SqliteSamples(db, this.reads);
    this.vehicles = new SqliteVehicles(db, this.reads);
    this.devices = new SqliteDevices(db, this.reads);
    this.commands = new SqliteCommands(db);
    this.snapshots = new SqliteSnapshots(db);
    this.latest = new SqliteLatestValues(db);
    this.events = new SqliteEvents(db, this.reads);
    this.status = new SqliteDeviceStatus(db);
    this.services = new SqliteServices(db, this.reads);
    this.expiry = new RowExpiry({
      ttlMs: options.samplesTtlDays * 86_400_000,
      samples: this.samples.expire,
      events: this.events.expire,
      commands: this.commands.expire,
      stopped: () => this.closed,
    });
  }

  async writeSamples(rows: readonly SampleRow[]): Promise<void> {
    this.assertOpen();
    return this.samples.writeSamples(rows);
  }

  async querySamples(q: SampleQuery): Promise<StoredSample[]> {
    this.assertOpen();
    return this.samples.querySamples(q);
  }

  async bucketSamples(q: SampleBucketQuery): Promise<SampleBucket[] | undefined> {
    this.assertOpen();
    return this.samples.bucketSamples(q);
  }

  async markSeen(vehicles: readonly VehicleSeen[]): Promise<void> {
    this.assertOpen();
    return this.vehicles.markSeen(vehicles);
  }

  async listVehicles(): Promise<VehicleSeen[]> {
    this.assertOpen();
    return this.vehicles.listVehicles();
  }

  async getVehicle(deviceId: string): Promise<VehicleSeen | undefined> {
    this.assertOpen();
    return this.vehicles.getVehicle(deviceId);
  }

  async addDevice(record: DeviceRecord): Promise<boolean> {
    this.assertOpen();
    return this.devices.addDevice(record);
  }

  async getDevice(deviceId: string): Promise<DeviceRecord | undefined> {
    this.assertOpen();
    return this.devices.getDevice(deviceId);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    this.assertOpen();
    return this.devices.listDevices();
  }

  async revokeDevice(deviceId: string, atMs: number): Promise<boolean> {
    this.assertOpen();
    return this.devices.revokeDevice(deviceId, atMs);
  }

  async holdCommand(c: HeldCommand): Promise<void> {
    this.assertOpen();
    return this.commands.holdCommand(c);
  }

  async pendingCommands(deviceId: string, nowMs: number): Promise<HeldCommand[]> {
    this.assertOpen();
    return this.commands.pendingCommands(deviceId, nowMs);
  }

  async acknowledgeCommand(deviceId: string, commandId: string, atMs: number): Promise<void> {
    this.assertOpen();
    return this.commands.acknowledgeCommand(deviceId, commandId, atMs);
  }

  async saveSnapshot(snapshot: ActorSnapshot): Promise<void> {
    this.assertOpen();
    return this.snapshots.saveSnapshot(snapshot);
  }

  async loadSnapshot(actorId: string): Promise<ActorSnapshot | undefined> {
    this.assertOpen();
    return this.snapshots.loadSnapshot(actorId);
  }

  async writeLatest(rows: readonly SampleRow[]): Promise<void> {
    this.assertOpen();
    return this.latest.writeLatest(rows);
  }

  async latestValues(deviceId: string): Promise<SampleRow[]> {
    this.assertOpen();
    return this.latest.latestValues(deviceId);
  }

  async writeEvents(rows: readonly EventRow[]): Promise<void> {
    this.assertOpen();
    return this.events.writeEvents(rows);
  }

  async listEvents(q: EventQuery): Promise<EventRow[]> {
    this.assertOpen();
    return this.events.listEvents(q);
  }

  async recordStatus(status: DeviceStatusRow): Promise<void> {
    this.assertOpen();
    return this.status.recordStatus(status);
  }

  async getStatus(deviceId: string): Promise<DeviceStatusRow | undefined> {
    this.assertOpen();
    return this.status.getStatus(deviceId);
  }

  async setServicePlan(p: ServicePlanRow): Promise<void> {
    this.assertOpen();
    return this.services.setServicePlan(p);
  }

  async getServicePlan(deviceId: string): Promise<ServicePlanRow | undefined> {
    this.assertOpen();
    return this.services.getServicePlan(deviceId);
  }

  async recordService(r: ServiceRecordRow): Promise<void> {
    this.assertOpen();
    return this.services.recordService(r);
  }

  async listServices(deviceId: string, limit: number): Promise<ServiceRecordRow[]> {
    this.assertOpen();
    return this.services.listServices(deviceId, limit);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.expiry.stop();
    await this.reads.close();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

/**
 * One place for every operation's failure: SQLite's errors (and anything else a statement
 * throws, such as a value it cannot bind) become the TelemetryDb's by their result code;
 * its own errors (closed, too busy to read, a reader thread lost) pass unchanged.
 */
classifyOperationFailures(SqliteTelemetryDb, (telemetryDb, operation, err) => {
  if (err instanceof FleetlineError) return err;
  const failure = classifySqliteFailure(err);
  return storeError(
    failure,
    `SQLite store ${telemetryDb.path}: ${operation} failed: ${failure.reason}`,
    err,
  );
});
