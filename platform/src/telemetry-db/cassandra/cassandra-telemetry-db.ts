import type cassandra from 'cassandra-driver';
import { StoreClosedError } from '../../errors.js';
import { classifyCassandraFailure } from '../../failures/cassandra.js';
import { storeError } from '../../failures/failure.js';
import { DAY_MS } from '../days.js';
import type { HeldCommand } from '../port/commands.js';
import type { DeviceRecord } from '../port/devices.js';
import type { EventQuery, EventRow } from '../port/events.js';
import type { SampleQuery, SampleRow, StoredSample } from '../port/samples.js';
import type { ServicePlanRow, ServiceRecordRow } from '../port/services.js';
import type { ActorSnapshot } from '../port/snapshots.js';
import type { DeviceStatusRow } from '../port/status.js';
import type { TelemetryDb } from '../port/telemetry-db.js';
import type { VehicleSeen } from '../port/vehicles.js';
import type { RowTimes } from '../time-bounds.js';
import { type CassandraClientOptions, cassandraClient } from './client.js';
import { CassandraCommands } from './commands.js';
import { CassandraDevices } from './devices.js';
import { CassandraEvents } from './events.js';
import { CassandraLatestValues } from './latest.js';
import { CassandraSamples } from './samples.js';
import { migrate, type SchemaOptions } from './schema.js';
import { CassandraServices } from './services.js';
import { CassandraSnapshots } from './snapshots.js';
import { CassandraDeviceStatus } from './status.js';
import { CassandraVehicles } from './vehicles.js';

/**
 * The Cassandra TelemetryDb adapter: one module per part of the port, each with the tables it
 * designed from the queries it serves (see each module), composed here with the client and
 * the schema (schema.ts).
 *
 * Every statement is prepared and idempotent (set as the client default), writes run
 * concurrently and never as unlogged multi-partition batches. Every read that can return more
 * than one page of rows pages through them (eachPage): the driver answers one page per request.
 */

export interface CassandraTelemetryDbOptions extends CassandraClientOptions, SchemaOptions {
  /**
   * No row's time is further ahead of now than this (the gateway's
   * DEVICE_CLOCK_MAX_AHEAD_SECONDS); reads walk no day past it. Default: a day.
   */
  maxAheadMs?: number;
}

export class CassandraTelemetryDb implements TelemetryDb {
  readonly kind = 'cassandra' as const;
  private closed = false;
  private readonly samples: CassandraSamples;
  private readonly vehicles: CassandraVehicles;
  private readonly devices: CassandraDevices;
  private readonly commands: CassandraCommands;
  private readonly snapshots: CassandraSnapshots;
  private readonly latest: CassandraLatestValues;
  private readonly events: CassandraEvents;
  private readonly status: CassandraDeviceStatus;
  private readonly services: CassandraServices;

  private constructor(
    private readonly client: cassandra.Client,
    options: CassandraTelemetryDbOptions,
  ) {
    const ks = options.keyspace;
    const times: RowTimes = {
      ttlDays: options.samplesTtlDays,
      maxAheadMs: options.maxAheadMs ?? DAY_MS,
    };
    this.samples = new CassandraSamples(client, ks, times);
    this.vehicles = new CassandraVehicles(client, ks);
    this.devices = new CassandraDevices(client, ks);
    this.commands = new CassandraCommands(client, ks);
    this.snapshots = new CassandraSnapshots(client, ks);
    this.latest = new CassandraLatestValues(client, ks);
    this.events = new CassandraEvents(client, ks, times);
    this.status = new CassandraDeviceStatus(client, ks);
    this.services = new CassandraServices(client, ks);
  }

  static async open(options: CassandraTelemetryDbOptions): Promise<CassandraTelemetryDb> {
    const client = cassandraClient(options);
    try {
      await client.connect();
      const telemetryDb = new CassandraTelemetryDb(client, options);
      await migrate(client, options);
      return telemetryDb;
    } catch (err) {
      await client.shutdown().catch(() => {});
      const failure = classifyCassandraFailure(err);
      throw storeError(
        failure,
        `cannot open Cassandra store at ${options.contactPoints.join(',')}: ${failure.reason}`,
        err,
      );
    }
  }

  async writeSamples(rows: readonly SampleRow[]): Promise<void> {
    this.assertOpen();
    return this.samples.writeSamples(rows);
  }

  async querySamples(q: SampleQuery): Promise<StoredSample[]> {
    this.assertOpen();
    return this.samples.querySamples(q);
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
    await this.client.shutdown();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}
