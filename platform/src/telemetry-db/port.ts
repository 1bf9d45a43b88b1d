/**
 * The TelemetryDb port: the high-volume data — time series, events, snapshots, the device
 * registry, alerts — Cassandra in production, SQLite embedded. Every write is idempotent: writing
 * the same row twice leaves one row, which is what makes re-delivery from the log harmless. One
 * contract test suite runs against both adapters.
 */

export interface SampleRow {
  readonly deviceId: string;
  readonly signalId: number;
  /** Epoch ms; together with device and signal the row's identity. */
  readonly timeMs: number;
  readonly value: number;
}

export interface SampleQuery {
  readonly deviceId: string;
  readonly signalId: number;
  /** Inclusive, epoch ms. */
  readonly fromMs: number;
  /** Exclusive, epoch ms. */
  readonly toMs: number;
  /** At most this many samples, the earliest first. */
  readonly limit: number;
}

export interface StoredSample {
  readonly timeMs: number;
  readonly value: number;
}

/** Samples of one signal in [fromMs, toMs), summarised in buckets of equal width. */
export interface SampleBucketQuery {
  readonly deviceId: string;
  readonly signalId: number;
  /** Inclusive, epoch ms; the first bucket starts here. */
  readonly fromMs: number;
  /** Exclusive, epoch ms. */
  readonly toMs: number;
  /** Whole ms ≥ 1: bucket i is [fromMs + i·widthMs, fromMs + (i + 1)·widthMs). */
  readonly widthMs: number;
  /** At most this many samples are read; a range holding more is not summarised. */
  readonly maxSamples: number;
}

export interface SampleBucket {
  /** Start of the bucket, epoch ms. */
  readonly startMs: number;
  /** How many samples fell into it (at least 1: empty buckets are left out). */
  readonly count: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export interface VehicleSeen {
  readonly deviceId: string;
  /** Epoch ms when the vehicle was last heard from. */
  readonly lastSeenMs: number;
}

/** A device allowed to connect, with the hash of its secret (never the secret itself). */
export interface DeviceRecord {
  readonly deviceId: string;
  /** The secret's KDF output with its parameters (see the gateway's credentials module). */
  readonly secretHash: string;
  /** Epoch ms when the device was registered. */
  readonly createdMs: number;
  /** Epoch ms when the device was revoked; a revoked device may never connect again. */
  readonly revokedMs?: number;
}

/**
 * A command kept for a device until the device acknowledges it (its PUBACK) or it expires,
 * so a device that was connected nowhere when the command was issued gets it when it comes
 * back, through whichever gateway.
 */
export interface HeldCommand {
  readonly deviceId: string;
  readonly commandId: string;
  /** The encoded Command, as it was logged. */
  readonly payload: Uint8Array;
  /** Epoch ms after which the command is not delivered any more. */
  readonly expiresMs: number;
  /** When and where it was logged: a device's held commands are delivered in log order. */
  readonly loggedMs: number;
  readonly logOffset: number;
}

/** The part of the TelemetryDb that holds commands for devices (the gateways use it). */
export interface CommandHold {
  /**
   * Holds a command; holding one that is held (or was acknowledged) already changes nothing,
   * so every gateway may hold every command it reads.
   */
  holdCommand(command: HeldCommand): Promise<void>;
  /** A device's held commands that are neither acknowledged nor expired, in log order. */
  pendingCommands(deviceId: string, nowMs: number): Promise<HeldCommand[]>;
  /** Marks a command delivered for good; it is never pending again. */
  acknowledgeCommand(deviceId: string, commandId: string, atMs: number): Promise<void>;
}

/**
 * An actor's state as saved to the telemetry database (JSON), restored when the actor is activated
 * again. A save never replaces a newer one (by `savedMs`), so an actor's old owner finishing late
 * after a rebalance cannot roll its state back.
 */
export interface ActorSnapshot {
  readonly actorId: string;
  readonly data: string;
  readonly savedMs: number;
}

export type AlertState = 'open' | 'acknowledged' | 'resolved';

/** An alert as people work with it: raised by a detector, acknowledged, resolved. */
export interface AlertRecord {
  readonly alertId: string;
  readonly deviceId: string;
  readonly type: string;
  readonly severity: string;
  readonly conditionKey: string;
  /** Epoch ms when the condition began. */
  readonly raisedMs: number;
  readonly evidence: Readonly<Record<string, number | string>>;
  readonly clearsWhen: string;
  readonly state: AlertState;
  /** When the data showed the condition over (conditions that clear by data). */
  readonly clearedMs?: number;
  readonly acknowledgedMs?: number;
  readonly acknowledgedBy?: string;
  readonly resolvedMs?: number;
  readonly resolvedBy?: string;
}

export type RaisedAlert = Pick<
  AlertRecord,
  | 'alertId'
  | 'deviceId'
  | 'type'
  | 'severity'
  | 'conditionKey'
  | 'raisedMs'
  | 'evidence'
  | 'clearsWhen'
>;

export interface AlertQuery {
  /** Alerts raised in [fromMs, toMs), newest first. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly deviceId?: string;
  readonly type?: string;
  readonly state?: AlertState;
  readonly limit: number;
}

/** Who resolves an alert whose condition the data showed over. */
export const CLEARED_BY_DATA = 'cleared by data';

/** The part of the TelemetryDb that keeps alerts. Every write is idempotent. */
export interface AlertBook {
  /**
   * Records a raised alert. Recording it again (a replay: same id, same content) changes
   * nothing; its acknowledgement and resolution stay.
   */
  recordAlertRaised(alert: RaisedAlert): Promise<void>;
  /**
   * Records that the condition is over: sets clearedMs and resolves the alert (by
   * CLEARED_BY_DATA) unless someone resolved it first. Unknown ids are ignored.
   */
  recordAlertCleared(alertId: string, clearedMs: number): Promise<void>;
  /** Open → acknowledged (who, when); an acknowledged or resolved alert keeps its record. */
  acknowledgeAlert(alertId: string, by: string, atMs: number): Promise<AlertRecord | undefined>;
  /** → resolved (who, when), once; a resolved alert keeps its first resolution. */
  resolveAlert(alertId: string, by: string, atMs: number): Promise<AlertRecord | undefined>;
  getAlert(alertId: string): Promise<AlertRecord | undefined>;
  listAlerts(query: AlertQuery): Promise<AlertRecord[]>;
}

/**
 * A vehicle's latest value of each signal. Writes keep, per (device, signal), the value with
 * the latest sample time, whatever order they arrive in (a replayed batch cannot move it back).
 */
export interface LatestValues {
  writeLatest(rows: readonly SampleRow[]): Promise<void>;
  /** Every signal's latest value for the vehicle, ordered by signal id. */
  latestValues(deviceId: string): Promise<SampleRow[]>;
}

/** A vehicle event (events.v1) as kept for the API. */
export interface EventRow {
  readonly deviceId: string;
  readonly seq: number;
  readonly timeMs: number;
  /** The payload's kind: collision, troubleCodes, triggerCapture. */
  readonly kind: string;
  /** The payload as JSON. */
  readonly detail: string;
}

export interface EventQuery {
  readonly deviceId: string;
  /** Events in [fromMs, toMs), newest first. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly kind?: string;
  readonly limit: number;
}

export interface EventLog {
  /** Idempotent by (device, time, seq). */
  writeEvents(rows: readonly EventRow[]): Promise<void>;
  listEvents(query: EventQuery): Promise<EventRow[]>;
}

/** A device's connection state as it last reported it (status.v1). */
export interface DeviceStatusRow {
  readonly deviceId: string;
  readonly state: 'online' | 'offline';
  /** When the device reported it, epoch ms. */
  readonly timeMs: number;
  readonly agentVersion: string;
}

export interface StatusBook {
  /** Keeps the report with the latest timeMs; an older one changes nothing. */
  recordStatus(status: DeviceStatusRow): Promise<void>;
  getStatus(deviceId: string): Promise<DeviceStatusRow | undefined>;
}

/** A vehicle's maintenance plan: service every intervalKm or intervalDays, whichever first. */
export interface ServicePlanRow {
  readonly deviceId: string;
  readonly intervalKm: number;
  readonly intervalDays: number;
  /** "Coming up" opens this far ahead of the interval. */
  readonly aheadKm: number;
  readonly aheadDays: number;
  readonly updatedMs: number;
  readonly updatedBy: string;
}

/** A service done on a vehicle. */
export interface ServiceRecordRow {
  readonly deviceId: string;
  /** Chosen by whoever records it; recording the same id again changes nothing. */
  readonly serviceId: string;
  readonly timeMs: number;
  readonly odometerKm: number;
  readonly by: string;
  readonly note: string;
}

export interface ServiceBook {
  /** Replaces the vehicle's plan. */
  setServicePlan(plan: ServicePlanRow): Promise<void>;
  getServicePlan(deviceId: string): Promise<ServicePlanRow | undefined>;
  /** Idempotent by (device, serviceId). */
  recordService(record: ServiceRecordRow): Promise<void>;
  /** The vehicle's services, newest first. */
  listServices(deviceId: string, limit: number): Promise<ServiceRecordRow[]>;
}

export interface TelemetryDb
  extends CommandHold,
    AlertBook,
    LatestValues,
    EventLog,
    StatusBook,
    ServiceBook {
  readonly kind: 'cassandra' | 'sqlite';
  /** Upserts samples; a row with the same (device, signal, time) is overwritten. */
  writeSamples(rows: readonly SampleRow[]): Promise<void>;
  /** Samples of one signal of one vehicle in [fromMs, toMs), ordered by time. */
  querySamples(query: SampleQuery): Promise<StoredSample[]>;
  /**
   * The buckets holding samples, in time order, summarised where the data is (so a chart of a
   * long range does not carry every sample out of the database); undefined when the range holds
   * more than maxSamples. Optional: without it, callers page through querySamples.
   */
  bucketSamples?(query: SampleBucketQuery): Promise<SampleBucket[] | undefined>;
  /** Records that vehicles were heard from; a vehicle's lastSeen only ever moves forward. */
  markSeen(vehicles: readonly VehicleSeen[]): Promise<void>;
  listVehicles(): Promise<VehicleSeen[]>;
  /** One vehicle, read by its id; undefined when it has never been marked seen. */
  getVehicle(deviceId: string): Promise<VehicleSeen | undefined>;
  /** Registers a device; false (and no change) when the id is registered already. */
  addDevice(record: DeviceRecord): Promise<boolean>;
  getDevice(deviceId: string): Promise<DeviceRecord | undefined>;
  /** Every registered device, revoked ones included, ordered by id. */
  listDevices(): Promise<DeviceRecord[]>;
  /** Revokes a device for good; false when no such device is registered. */
  revokeDevice(deviceId: string, atMs: number): Promise<boolean>;
  saveSnapshot(snapshot: ActorSnapshot): Promise<void>;
  loadSnapshot(actorId: string): Promise<ActorSnapshot | undefined>;
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
  recordAlertRaised: true,
  recordAlertCleared: true,
  acknowledgeAlert: true,
  resolveAlert: true,
  getAlert: true,
  listAlerts: true,
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

export const DAY_MS = 86_400_000;

/** The day bucket of a time (days since the epoch, UTC). */
export const dayOf = (timeMs: number): number => Math.floor(timeMs / DAY_MS);
