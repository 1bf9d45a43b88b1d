import cassandra from 'cassandra-driver';
import { StoreClosedError } from '../errors.js';
import { classifyCassandraFailure } from '../failures/cassandra.js';
import { storeError } from '../failures/failure.js';
import type { CassandraSecurity } from '../links.js';
import { alertDaysMigration, alertListMigration, CassandraAlerts } from './cassandra-alerts.js';
import { eachPage, inParallel, type MigrationStep, run } from './cassandra-io.js';
import { DAY_MS, dayOf } from './days.js';
import type {
  ActorSnapshot,
  AlertQuery,
  AlertRecord,
  DeviceRecord,
  DeviceStatusRow,
  EventQuery,
  EventRow,
  HeldCommand,
  RaisedAlert,
  SampleQuery,
  SampleRow,
  ServicePlanRow,
  ServiceRecordRow,
  StoredSample,
  TelemetryDb,
  VehicleSeen,
} from './port/index.js';
import { daysToRead, type RowTimes, ttlSecondsLeft } from './time-bounds.js';

/**
 * The Cassandra TelemetryDb adapter. Tables are designed from the queries they serve:
 * - samples of one vehicle's signal over a time range: partition (device, signal, day) keeps a
 *   partition to one day of one signal (86,400 rows at 1 Hz), clustered by time; TWCS with a
 *   window of about a thirtieth of the TTL keeps the number of windows bounded. A sample's TTL
 *   counts from its own time, and a range is read only over the days that can hold samples
 *   (time-bounds.ts): not before the TTL's horizon, not after now and the clock allowance;
 * - vehicles and when they were last seen: one row per vehicle, last-write-wins on the
 *   time itself (USING TIMESTAMP), so a late or replayed write never moves it backwards.
 * - an actor's snapshot: one row per actor, last-write-wins on its save time (USING
 *   TIMESTAMP), so a late save from an actor's old owner cannot roll it back;
 * - alerts: one row per alert by id, and the alert list by day with indexes on device, type
 *   and state (cassandra-alerts.ts);
 * - a device's held commands: one partition per device, each command a row, expiring by TTL
 *   an hour after the command itself does;
 * - a vehicle's latest value of each signal: one partition per vehicle, a row per signal
 *   (clustered by signal id, so a read comes ordered), written with the sample time as the
 *   write time (USING TIMESTAMP): Cassandra keeps the cell with the highest write time, so the
 *   newest sample wins whatever order batches arrive in, without reading before writing;
 * - a vehicle's events: partition (device, day), newest first by (time, seq), expiring with
 *   the samples' TTL (from their own time); listing walks the day partitions that can hold
 *   events newest first, as alerts do;
 * - a device's status: one row per device, last-write-wins on its report time as above;
 * - service plans: one row per vehicle, replaced whole; service records: one partition per
 *   vehicle, newest first by (time, service id), guarded by a row per (vehicle, service id)
 *   written once (a lightweight transaction), so recording an id again — also with another
 *   time — changes nothing.
 * Every statement is prepared and idempotent (set as the client default), writes run
 * concurrently and never as unlogged multi-partition batches; the one logged batch is an
 * alert's change, which keeps its two tables together. Every read that can return more than
 * one page of rows pages through them (eachPage): the driver answers one page per request.
 */

export interface CassandraTelemetryDbOptions extends CassandraSecurity {
  contactPoints: readonly string[];
  localDataCenter: string;
  keyspace: string;
  replicationFactor: number;
  /** Days samples and events are kept after their time; 0: for good. */
  samplesTtlDays: number;
  /**
   * No row's time is further ahead of now than this (the gateway's
   * DEVICE_CLOCK_MAX_AHEAD_SECONDS); reads walk no day past it. Default: a day.
   */
  maxAheadMs?: number;
  /** Sees every request the driver makes (logging slow ones, counting them). */
  requestTracker?: cassandra.tracker.RequestTracker;
}

type Migration = (ks: string, o: CassandraTelemetryDbOptions) => MigrationStep[];

/** Versioned migrations, applied in order at open; never edit one that has shipped. */
const migrations: readonly Migration[] = [
  (ks, o) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.samples_by_signal_day (
       device_id text, signal_id int, day int, t timestamp, value double,
       PRIMARY KEY ((device_id, signal_id, day), t))
     WITH CLUSTERING ORDER BY (t ASC)
     AND compaction = {'class': 'TimeWindowCompactionStrategy',
       'compaction_window_unit': 'DAYS', 'compaction_window_size': ${Math.max(1, Math.ceil(o.samplesTtlDays / 30))}}`,
    `CREATE TABLE IF NOT EXISTS ${ks}.vehicles (device_id text PRIMARY KEY, last_seen timestamp)`,
  ],
  (ks) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.devices (
       device_id text PRIMARY KEY, secret_hash text, created timestamp, revoked timestamp)`,
  ],
  (ks) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.held_commands_by_device (
       device_id text, command_id text, payload blob, expires timestamp, logged timestamp,
       log_offset bigint, acked timestamp,
       PRIMARY KEY ((device_id), command_id))`,
  ],
  (ks) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.actor_snapshots (actor_id text PRIMARY KEY, data text, saved timestamp)`,
  ],
  (ks) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.alerts (
       alert_id text PRIMARY KEY, device_id text, type text, severity text, condition_key text,
       raised timestamp, evidence text, clears_when text, cleared timestamp,
       acknowledged timestamp, acknowledged_by text, resolved timestamp, resolved_by text)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.alerts_by_day (
       day int, raised timestamp, alert_id text,
       PRIMARY KEY ((day), raised, alert_id))
     WITH CLUSTERING ORDER BY (raised DESC, alert_id ASC)`,
  ],
  (ks) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.latest_values (
       device_id text, signal_id int, t timestamp, value double,
       PRIMARY KEY ((device_id), signal_id))
     WITH CLUSTERING ORDER BY (signal_id ASC)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.events_by_device_day (
       device_id text, day int, t timestamp, seq bigint, kind text, detail text,
       PRIMARY KEY ((device_id, day), t, seq))
     WITH CLUSTERING ORDER BY (t DESC, seq DESC)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.device_status (
       device_id text PRIMARY KEY, state text, t timestamp, agent_version text)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.service_plans (
       device_id text PRIMARY KEY, interval_km double, interval_days double, ahead_km double,
       ahead_days double, updated timestamp, updated_by text)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.service_records_by_device (
       device_id text, t timestamp, service_id text, odometer_km double, done_by text, note text,
       PRIMARY KEY ((device_id), t, service_id))
     WITH CLUSTERING ORDER BY (t DESC, service_id ASC)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.service_records_by_id (
       device_id text, service_id text, t timestamp, odometer_km double, done_by text, note text,
       PRIMARY KEY ((device_id), service_id))`,
  ],
  alertListMigration,
  alertDaysMigration,
];

/** Held commands are kept this long past their expiry (their TTL), then dropped. */
const HELD_COMMAND_GRACE_S = 3600;

const CONCURRENCY = 64;
/** Rows per page of small rows (samples) and of larger ones. */
const SAMPLE_PAGE = 5000;
const ROW_PAGE = 1000;
/** Rows per unlogged batch: about 2 KB, under Cassandra's 5 KB batch-size warning. */
const SAMPLES_PER_BATCH = 40;

export class CassandraTelemetryDb implements TelemetryDb {
  readonly kind = 'cassandra' as const;
  private closed = false;
  private readonly ks: string;
  private readonly q;
  private readonly alerts: CassandraAlerts;
  private readonly times: RowTimes;

  private constructor(
    private readonly client: cassandra.Client,
    private readonly options: CassandraTelemetryDbOptions,
  ) {
    this.ks = options.keyspace;
    this.times = { ttlDays: options.samplesTtlDays, maxAheadMs: options.maxAheadMs ?? DAY_MS };
    this.alerts = new CassandraAlerts(client, options.keyspace, this.times.maxAheadMs);
    const ks = options.keyspace;
    this.q = {
      insertSample: `INSERT INTO ${ks}.samples_by_signal_day (device_id, signal_id, day, t, value) VALUES (?, ?, ?, ?, ?) USING TTL ?`,
      selectSamples: `SELECT t, value FROM ${ks}.samples_by_signal_day WHERE device_id = ? AND signal_id = ? AND day = ? AND t >= ? AND t < ? LIMIT ?`,
      markSeen: `UPDATE ${ks}.vehicles USING TIMESTAMP ? SET last_seen = ? WHERE device_id = ?`,
      listVehicles: `SELECT device_id, last_seen FROM ${ks}.vehicles`,
      getVehicle: `SELECT last_seen FROM ${ks}.vehicles WHERE device_id = ?`,
      addDevice: `INSERT INTO ${ks}.devices (device_id, secret_hash, created) VALUES (?, ?, ?) IF NOT EXISTS`,
      getDevice: `SELECT device_id, secret_hash, created, revoked FROM ${ks}.devices WHERE device_id = ?`,
      listDevices: `SELECT device_id, secret_hash, created, revoked FROM ${ks}.devices`,
      revokeDevice: `UPDATE ${ks}.devices SET revoked = ? WHERE device_id = ? IF EXISTS`,
      // An upsert that leaves `acked` alone: holding again never un-acknowledges.
      holdCommand: `INSERT INTO ${ks}.held_commands_by_device (device_id, command_id, payload, expires, logged, log_offset) VALUES (?, ?, ?, ?, ?, ?) USING TTL ?`,
      heldCommands: `SELECT command_id, payload, expires, logged, log_offset, acked FROM ${ks}.held_commands_by_device WHERE device_id = ?`,
      heldCommandExpiry: `SELECT expires FROM ${ks}.held_commands_by_device WHERE device_id = ? AND command_id = ?`,
      saveSnapshot: `UPDATE ${ks}.actor_snapshots USING TIMESTAMP ? SET data = ?, saved = ? WHERE actor_id = ?`,
      loadSnapshot: `SELECT data, saved FROM ${ks}.actor_snapshots WHERE actor_id = ?`,
      acknowledgeCommand: `UPDATE ${ks}.held_commands_by_device USING TTL ? SET acked = ? WHERE device_id = ? AND command_id = ?`,
      writeLatest: `INSERT INTO ${ks}.latest_values (device_id, signal_id, t, value) VALUES (?, ?, ?, ?) USING TIMESTAMP ?`,
      latestValues: `SELECT signal_id, t, value FROM ${ks}.latest_values WHERE device_id = ?`,
      writeEvent: `INSERT INTO ${ks}.events_by_device_day (device_id, day, t, seq, kind, detail) VALUES (?, ?, ?, ?, ?, ?) USING TTL ?`,
      eventsOfDay: `SELECT t, seq, kind, detail FROM ${ks}.events_by_device_day WHERE device_id = ? AND day = ? AND t >= ? AND t < ?`,
      recordStatus: `INSERT INTO ${ks}.device_status (device_id, state, t, agent_version) VALUES (?, ?, ?, ?) USING TIMESTAMP ?`,
      getStatus: `SELECT state, t, agent_version FROM ${ks}.device_status WHERE device_id = ?`,
      setServicePlan: `INSERT INTO ${ks}.service_plans (device_id, interval_km, interval_days, ahead_km, ahead_days, updated, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      getServicePlan: `SELECT interval_km, interval_days, ahead_km, ahead_days, updated, updated_by FROM ${ks}.service_plans WHERE device_id = ?`,
      claimService: `INSERT INTO ${ks}.service_records_by_id (device_id, service_id, t, odometer_km, done_by, note) VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS`,
      writeService: `INSERT INTO ${ks}.service_records_by_device (device_id, t, service_id, odometer_km, done_by, note) VALUES (?, ?, ?, ?, ?, ?)`,
      listServices: `SELECT t, service_id, odometer_km, done_by, note FROM ${ks}.service_records_by_device WHERE device_id = ? LIMIT ?`,
    };
  }

  static async open(options: CassandraTelemetryDbOptions): Promise<CassandraTelemetryDb> {
    const client = new cassandra.Client({
      contactPoints: [...options.contactPoints],
      localDataCenter: options.localDataCenter,
      ...(options.requestTracker ? { requestTracker: options.requestTracker } : {}),
      queryOptions: {
        prepare: true,
        isIdempotent: true,
        consistency: cassandra.types.consistencies.localQuorum,
      },
      socketOptions: { connectTimeout: 10_000, readTimeout: 30_000 },
      // The driver's default waits up to 10 minutes between reconnection attempts to a node
      // that went down; a processor waiting out an outage should resume within seconds of
      // the node coming back.
      policies: {
        reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(
          250,
          5_000,
          true,
        ),
      },
      ...(options.tls ? { sslOptions: { ...options.tls } } : {}),
      ...(options.credentials
        ? {
            authProvider: new cassandra.auth.PlainTextAuthProvider(
              options.credentials.username,
              options.credentials.password,
            ),
          }
        : {}),
    });
    try {
      await client.connect();
      const telemetryDb = new CassandraTelemetryDb(client, options);
      await telemetryDb.migrate();
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

  private async migrate(): Promise<void> {
    const ks = this.ks;
    await this.client.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = {'class': 'NetworkTopologyStrategy', '${this.options.localDataCenter}': ${this.options.replicationFactor}}`,
    );
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${ks}.schema_migrations (version int PRIMARY KEY, applied_at timestamp)`,
    );
    const rows = await this.client.execute(`SELECT version FROM ${ks}.schema_migrations`);
    const applied = new Set(rows.rows.map((r) => r.get('version') as number));
    for (const [i, migration] of migrations.entries()) {
      const version = i + 1;
      if (applied.has(version)) continue;
      for (const step of migration(ks, this.options)) {
        if (typeof step === 'string') await this.client.execute(step);
        else await step(this.client);
      }
      await this.client.execute(
        `INSERT INTO ${ks}.schema_migrations (version, applied_at) VALUES (?, ?)`,
        [version, new Date()],
      );
    }
  }

  async writeSamples(rows: readonly SampleRow[]): Promise<void> {
    this.assertOpen();
    if (rows.length === 0) return;
    // Rows of one partition (device, signal, day) go in one unlogged batch: one request and
    // one mutation on one replica set instead of one per row, which is what a batch is for in
    // Cassandra (batches across partitions would load the coordinator instead). Each batch
    // stays under Cassandra's batch-size warning.
    const groups = new Map<string, unknown[][]>();
    const now = Date.now();
    for (const r of rows) {
      const ttl = ttlSecondsLeft(r.timeMs, now, this.times.ttlDays);
      if (ttl === undefined) continue; // past its time already: kept by no adapter
      const day = dayOf(r.timeMs);
      const key = `${r.deviceId}\u0000${r.signalId}\u0000${day}`;
      let group = groups.get(key);
      if (!group) {
        group = [];
        groups.set(key, group);
      }
      group.push([r.deviceId, r.signalId, day, new Date(r.timeMs), r.value, ttl]);
    }
    const requests: unknown[][][] = [];
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += SAMPLES_PER_BATCH)
        requests.push(group.slice(i, i + SAMPLES_PER_BATCH));
    }
    await run(
      () =>
        inParallel(requests, CONCURRENCY, (params) =>
          params.length === 1
            ? this.client.execute(this.q.insertSample, params[0])
            : this.client.batch(
                params.map((p) => ({ query: this.q.insertSample, params: p })),
                { prepare: true, logged: false },
              ),
        ),
      `write ${rows.length} samples`,
    );
  }

  async querySamples(q: SampleQuery): Promise<StoredSample[]> {
    this.assertOpen();
    const days = daysToRead(q.fromMs, q.toMs, Date.now(), this.times);
    if (!days || q.limit <= 0) return [];
    const out: StoredSample[] = [];
    // The day partitions that can hold samples, in time order, each page by page (a day of
    // one signal at 1 Hz is 86,400 rows); stop as soon as the limit is reached.
    for (let day = days.first; day <= days.last && out.length < q.limit; day++) {
      const left = q.limit - out.length;
      await eachPage(
        this.client,
        this.q.selectSamples,
        [q.deviceId, q.signalId, day, new Date(q.fromMs), new Date(q.toMs), left],
        Math.min(SAMPLE_PAGE, left),
        'query samples',
        (rows) => {
          for (const row of rows) {
            out.push({
              timeMs: (row.get('t') as Date).getTime(),
              value: row.get('value') as number,
            });
          }
          return out.length >= q.limit;
        },
      );
    }
    return out;
  }

  async markSeen(vehicles: readonly VehicleSeen[]): Promise<void> {
    this.assertOpen();
    if (vehicles.length === 0) return;
    await run(
      () =>
        cassandra.concurrent.executeConcurrent(
          this.client,
          this.q.markSeen,
          vehicles.map((v) => [
            cassandra.types.Long.fromNumber(v.lastSeenMs * 1000),
            new Date(v.lastSeenMs),
            v.deviceId,
          ]),
          { concurrencyLevel: CONCURRENCY },
        ),
      `mark ${vehicles.length} vehicles seen`,
    );
  }

  async listVehicles(): Promise<VehicleSeen[]> {
    this.assertOpen();
    const out: VehicleSeen[] = [];
    const rows = await this.allRows(this.q.listVehicles, 'list vehicles');
    for (const row of rows) {
      const lastSeen = row.get('last_seen') as Date | null;
      if (lastSeen)
        out.push({ deviceId: row.get('device_id') as string, lastSeenMs: lastSeen.getTime() });
    }
    return out.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }

  async getVehicle(deviceId: string): Promise<VehicleSeen | undefined> {
    this.assertOpen();
    const result = await run(
      () => this.client.execute(this.q.getVehicle, [deviceId]),
      'read a vehicle',
    );
    const lastSeen = result.first()?.get('last_seen') as Date | null | undefined;
    return lastSeen ? { deviceId, lastSeenMs: lastSeen.getTime() } : undefined;
  }

  async addDevice(record: DeviceRecord): Promise<boolean> {
    this.assertOpen();
    // A lightweight transaction: two registrations of one id cannot both succeed. Not
    // idempotent (a retried success reads as "exists"), so the driver must not retry it.
    const result = await run(
      () =>
        this.client.execute(
          this.q.addDevice,
          [record.deviceId, record.secretHash, new Date(record.createdMs)],
          { isIdempotent: false },
        ),
      'add device',
    );
    return result.wasApplied();
  }

  async getDevice(deviceId: string): Promise<DeviceRecord | undefined> {
    this.assertOpen();
    const result = await run(() => this.client.execute(this.q.getDevice, [deviceId]), 'get device');
    const row = result.first();
    return row ? deviceOfRow(row) : undefined;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    this.assertOpen();
    const rows = await this.allRows(this.q.listDevices, 'list devices');
    return rows
      .map(deviceOfRow)
      .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }

  async revokeDevice(deviceId: string, atMs: number): Promise<boolean> {
    const existing = await this.getDevice(deviceId);
    if (!existing) return false;
    if (existing.revokedMs !== undefined) return true; // the first revocation time stands
    const result = await run(
      () =>
        this.client.execute(this.q.revokeDevice, [new Date(atMs), deviceId], {
          isIdempotent: false,
        }),
      'revoke device',
    );
    return result.wasApplied();
  }

  async holdCommand(c: HeldCommand): Promise<void> {
    this.assertOpen();
    await run(
      () =>
        this.client.execute(this.q.holdCommand, [
          c.deviceId,
          c.commandId,
          Buffer.from(c.payload.buffer, c.payload.byteOffset, c.payload.byteLength),
          new Date(c.expiresMs),
          new Date(c.loggedMs),
          cassandra.types.Long.fromNumber(c.logOffset),
          heldTtlSeconds(c.expiresMs),
        ]),
      'hold a command',
    );
  }

  async pendingCommands(deviceId: string, nowMs: number): Promise<HeldCommand[]> {
    this.assertOpen();
    const rows: cassandra.types.Row[] = [];
    await eachPage(
      this.client,
      this.q.heldCommands,
      [deviceId],
      ROW_PAGE,
      'read held commands',
      (page) => {
        rows.push(...page);
      },
    );
    const out: HeldCommand[] = [];
    for (const row of rows) {
      const payload = row.get('payload') as Buffer | null;
      const expires = row.get('expires') as Date | null;
      // A row with an acknowledgement only (the command was never held) is not pending.
      if (row.get('acked') || !payload || !expires || expires.getTime() <= nowMs) continue;
      out.push({
        deviceId,
        commandId: row.get('command_id') as string,
        payload: new Uint8Array(payload),
        expiresMs: expires.getTime(),
        loggedMs: (row.get('logged') as Date).getTime(),
        logOffset: (row.get('log_offset') as cassandra.types.Long).toNumber(),
      });
    }
    return out.sort((a, b) => a.loggedMs - b.loggedMs || a.logOffset - b.logOffset);
  }

  async acknowledgeCommand(deviceId: string, commandId: string, atMs: number): Promise<void> {
    this.assertOpen();
    // The acknowledgement lives as long as the held row it marks (or the grace period when
    // none was held), so holding the command again later cannot revive it.
    const held = await run(
      () => this.client.execute(this.q.heldCommandExpiry, [deviceId, commandId]),
      'read a held command',
    );
    const expires = held.first()?.get('expires') as Date | null | undefined;
    await run(
      () =>
        this.client.execute(this.q.acknowledgeCommand, [
          heldTtlSeconds(expires ? expires.getTime() : atMs),
          new Date(atMs),
          deviceId,
          commandId,
        ]),
      'acknowledge a command',
    );
  }

  async recordAlertRaised(a: RaisedAlert): Promise<void> {
    this.assertOpen();
    await this.alerts.recordAlertRaised(a);
  }

  async recordAlertCleared(alertId: string, clearedMs: number): Promise<void> {
    this.assertOpen();
    await this.alerts.recordAlertCleared(alertId, clearedMs);
  }

  async acknowledgeAlert(alertId: string, by: string, atMs: number) {
    this.assertOpen();
    return this.alerts.acknowledgeAlert(alertId, by, atMs);
  }

  async resolveAlert(alertId: string, by: string, atMs: number) {
    this.assertOpen();
    return this.alerts.resolveAlert(alertId, by, atMs);
  }

  async getAlert(alertId: string): Promise<AlertRecord | undefined> {
    this.assertOpen();
    return this.alerts.getAlert(alertId);
  }

  async listAlerts(q: AlertQuery): Promise<AlertRecord[]> {
    this.assertOpen();
    return this.alerts.listAlerts(q);
  }

  async saveSnapshot(snapshot: ActorSnapshot): Promise<void> {
    this.assertOpen();
    await run(
      () =>
        this.client.execute(this.q.saveSnapshot, [
          // Microseconds, as Cassandra's own write times; the save time decides.
          cassandra.types.Long.fromNumber(snapshot.savedMs * 1000),
          snapshot.data,
          new Date(snapshot.savedMs),
          snapshot.actorId,
        ]),
      'save a snapshot',
    );
  }

  async loadSnapshot(actorId: string): Promise<ActorSnapshot | undefined> {
    this.assertOpen();
    const result = await run(
      () => this.client.execute(this.q.loadSnapshot, [actorId]),
      'load a snapshot',
    );
    const row = result.first();
    const data = row?.get('data') as string | null | undefined;
    if (!row || data === null || data === undefined) return undefined;
    return { actorId, data, savedMs: (row.get('saved') as Date).getTime() };
  }

  async writeLatest(rows: readonly SampleRow[]): Promise<void> {
    this.assertOpen();
    // One write per (device, signal): the batch's newest sample of each.
    const newest = new Map<string, SampleRow>();
    for (const r of rows) {
      const key = `${r.deviceId}\u0000${r.signalId}`;
      const seen = newest.get(key);
      if (!seen || r.timeMs >= seen.timeMs) newest.set(key, r);
    }
    if (newest.size === 0) return;
    await run(
      () =>
        cassandra.concurrent.executeConcurrent(
          this.client,
          this.q.writeLatest,
          [...newest.values()].map((r) => [
            r.deviceId,
            r.signalId,
            new Date(r.timeMs),
            r.value,
            // The sample time as the write time (microseconds, as Cassandra's own): a cell
            // written with an older sample time loses to the one there, so replays and late
            // batches never move a value back, and no read is needed before the write.
            cassandra.types.Long.fromNumber(r.timeMs * 1000),
          ]),
          { concurrencyLevel: CONCURRENCY },
        ),
      `write the latest values of ${newest.size} signals`,
    );
  }

  async latestValues(deviceId: string): Promise<SampleRow[]> {
    this.assertOpen();
    const out: SampleRow[] = [];
    await eachPage(
      this.client,
      this.q.latestValues,
      [deviceId],
      ROW_PAGE,
      'read latest values',
      (rows) => {
        for (const row of rows) {
          const t = row.get('t') as Date | null;
          const value = row.get('value') as number | null;
          if (!t || value === null) continue;
          out.push({
            deviceId,
            signalId: row.get('signal_id') as number,
            timeMs: t.getTime(),
            value,
          });
        }
      },
    );
    return out;
  }

  async writeEvents(rows: readonly EventRow[]): Promise<void> {
    this.assertOpen();
    const now = Date.now();
    const params: unknown[][] = [];
    for (const e of rows) {
      // Kept as long as the samples, from its own time; one past that already is not written.
      const ttl = ttlSecondsLeft(e.timeMs, now, this.times.ttlDays);
      if (ttl === undefined) continue;
      params.push([
        e.deviceId,
        dayOf(e.timeMs),
        new Date(e.timeMs),
        cassandra.types.Long.fromNumber(e.seq),
        e.kind,
        e.detail,
        ttl,
      ]);
    }
    if (params.length === 0) return;
    await run(
      () =>
        cassandra.concurrent.executeConcurrent(this.client, this.q.writeEvent, params, {
          concurrencyLevel: CONCURRENCY,
        }),
      `write ${rows.length} events`,
    );
  }

  async listEvents(q: EventQuery): Promise<EventRow[]> {
    this.assertOpen();
    const out: EventRow[] = [];
    const days = daysToRead(q.fromMs, q.toMs, Date.now(), this.times);
    if (!days || q.limit <= 0) return out;
    // The day partitions that can hold events, newest first; within one, page through the
    // rows (the kind filter is applied here, not in CQL) and stop as soon as the limit is
    // reached.
    for (let day = days.last; day >= days.first && out.length < q.limit; day--) {
      await eachPage(
        this.client,
        this.q.eventsOfDay,
        [q.deviceId, day, new Date(q.fromMs), new Date(q.toMs)],
        q.kind ? ROW_PAGE : Math.min(ROW_PAGE, q.limit - out.length),
        'list events',
        (rows) => {
          for (const row of rows) {
            const kind = row.get('kind') as string;
            if (q.kind && kind !== q.kind) continue;
            out.push({
              deviceId: q.deviceId,
              seq: (row.get('seq') as cassandra.types.Long).toNumber(),
              timeMs: (row.get('t') as Date).getTime(),
              kind,
              detail: row.get('detail') as string,
            });
            if (out.length >= q.limit) return true;
          }
          return false;
        },
      );
    }
    return out;
  }

  async recordStatus(status: DeviceStatusRow): Promise<void> {
    this.assertOpen();
    await run(
      () =>
        this.client.execute(this.q.recordStatus, [
          status.deviceId,
          status.state,
          new Date(status.timeMs),
          status.agentVersion,
          // The report time as the write time: an older report never replaces a newer one.
          cassandra.types.Long.fromNumber(status.timeMs * 1000),
        ]),
      'record a device status',
    );
  }

  async getStatus(deviceId: string): Promise<DeviceStatusRow | undefined> {
    this.assertOpen();
    const result = await run(
      () => this.client.execute(this.q.getStatus, [deviceId]),
      'read a device status',
    );
    const row = result.first();
    const t = row?.get('t') as Date | null | undefined;
    if (!row || !t) return undefined;
    return {
      deviceId,
      state: row.get('state') as DeviceStatusRow['state'],
      timeMs: t.getTime(),
      agentVersion: (row.get('agent_version') as string | null) ?? '',
    };
  }

  async setServicePlan(p: ServicePlanRow): Promise<void> {
    this.assertOpen();
    // Every column is written: the plan is replaced whole.
    await run(
      () =>
        this.client.execute(this.q.setServicePlan, [
          p.deviceId,
          p.intervalKm,
          p.intervalDays,
          p.aheadKm,
          p.aheadDays,
          new Date(p.updatedMs),
          p.updatedBy,
        ]),
      'set a service plan',
    );
  }

  async getServicePlan(deviceId: string): Promise<ServicePlanRow | undefined> {
    this.assertOpen();
    const result = await run(
      () => this.client.execute(this.q.getServicePlan, [deviceId]),
      'read a service plan',
    );
    const row = result.first();
    const updated = row?.get('updated') as Date | null | undefined;
    if (!row || !updated) return undefined;
    return {
      deviceId,
      intervalKm: row.get('interval_km') as number,
      intervalDays: row.get('interval_days') as number,
      aheadKm: row.get('ahead_km') as number,
      aheadDays: row.get('ahead_days') as number,
      updatedMs: updated.getTime(),
      updatedBy: (row.get('updated_by') as string | null) ?? '',
    };
  }

  async recordService(r: ServiceRecordRow): Promise<void> {
    this.assertOpen();
    // The first record of an id wins (IF NOT EXISTS); the listing row is then written from
    // whichever record holds the id, so recording again (a retry, or after a crash between
    // the two writes) writes the same listing row and nothing else. Retrying the claim is
    // harmless for the same reason, so it stays idempotent for the driver.
    const claim = await run(
      () =>
        this.client.execute(this.q.claimService, [
          r.deviceId,
          r.serviceId,
          new Date(r.timeMs),
          r.odometerKm,
          r.by,
          r.note,
        ]),
      'record a service',
    );
    let record = r;
    if (!claim.wasApplied()) {
      const row = claim.first();
      record = {
        deviceId: r.deviceId,
        serviceId: r.serviceId,
        timeMs: (row.get('t') as Date).getTime(),
        odometerKm: row.get('odometer_km') as number,
        by: (row.get('done_by') as string | null) ?? '',
        note: (row.get('note') as string | null) ?? '',
      };
    }
    await run(
      () =>
        this.client.execute(this.q.writeService, [
          record.deviceId,
          new Date(record.timeMs),
          record.serviceId,
          record.odometerKm,
          record.by,
          record.note,
        ]),
      'record a service',
    );
  }

  async listServices(deviceId: string, limit: number): Promise<ServiceRecordRow[]> {
    this.assertOpen();
    if (limit <= 0) return [];
    const out: ServiceRecordRow[] = [];
    await eachPage(
      this.client,
      this.q.listServices,
      [deviceId, limit],
      Math.min(ROW_PAGE, limit),
      'list services',
      (rows) => {
        for (const row of rows) {
          out.push({
            deviceId,
            serviceId: row.get('service_id') as string,
            timeMs: (row.get('t') as Date).getTime(),
            odometerKm: row.get('odometer_km') as number,
            by: (row.get('done_by') as string | null) ?? '',
            note: (row.get('note') as string | null) ?? '',
          });
        }
        return out.length >= limit;
      },
    );
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.shutdown();
  }

  /** Every row of a whole-table query, page by page. */
  private async allRows(query: string, what: string): Promise<cassandra.types.Row[]> {
    const all: cassandra.types.Row[] = [];
    await eachPage(this.client, query, [], ROW_PAGE, what, (rows) => {
      all.push(...rows);
    });
    return all;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

function heldTtlSeconds(expiresMs: number): number {
  return Math.max(1, Math.ceil((expiresMs - Date.now()) / 1000) + HELD_COMMAND_GRACE_S);
}

function deviceOfRow(row: cassandra.types.Row): DeviceRecord {
  const revoked = row.get('revoked') as Date | null;
  return {
    deviceId: row.get('device_id') as string,
    secretHash: row.get('secret_hash') as string,
    createdMs: (row.get('created') as Date).getTime(),
    ...(revoked ? { revokedMs: revoked.getTime() } : {}),
  };
}
