import cassandra from 'cassandra-driver';
import { StoreClosedError, StoreUnavailableError } from '../errors.js';
import {
  type ActorSnapshot,
  type AlertQuery,
  type AlertRecord,
  CLEARED_BY_DATA,
  type DeviceRecord,
  dayOf,
  type HeldCommand,
  type RaisedAlert,
  type SampleQuery,
  type SampleRow,
  type Store,
  type StoredSample,
  type VehicleSeen,
} from './port.js';

/**
 * The Cassandra Store adapter. Tables are designed from the queries they serve:
 * - samples of one vehicle's signal over a time range: partition (device, signal, day) keeps a
 *   partition to one day of one signal (86,400 rows at 1 Hz), clustered by time; TWCS with a
 *   window of about a thirtieth of the TTL keeps the number of windows bounded;
 * - vehicles and when they were last seen: one row per vehicle, last-write-wins on the
 *   time itself (USING TIMESTAMP), so a late or replayed write never moves it backwards.
 * - an actor's snapshot: one row per actor, last-write-wins on its save time (USING
 *   TIMESTAMP), so a late save from an actor's old owner cannot roll it back;
 * - alerts: one row per alert by id (its state follows from when it was acknowledged and
 *   resolved, so writes need no read-modify-write of a state column), and an index of alert
 *   ids per day, newest first, for listing by time;
 * - a device's held commands: one partition per device, each command a row, expiring by TTL
 *   an hour after the command itself does.
 * Every statement is prepared and idempotent (set as the client default), writes run
 * concurrently and never as multi-partition batches.
 */

export interface CassandraStoreOptions {
  contactPoints: readonly string[];
  localDataCenter: string;
  keyspace: string;
  replicationFactor: number;
  /** 0: keep samples forever. */
  samplesTtlDays: number;
}

type Migration = (ks: string, o: CassandraStoreOptions) => string[];

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
];

/** Held commands are kept this long past their expiry (their TTL), then dropped. */
const HELD_COMMAND_GRACE_S = 3600;

const CONCURRENCY = 64;

export class CassandraStore implements Store {
  readonly kind = 'cassandra' as const;
  private closed = false;
  private readonly ks: string;
  private readonly q;

  private constructor(
    private readonly client: cassandra.Client,
    private readonly options: CassandraStoreOptions,
  ) {
    this.ks = options.keyspace;
    const ks = options.keyspace;
    const ttl = options.samplesTtlDays * 86_400;
    this.q = {
      insertSample: `INSERT INTO ${ks}.samples_by_signal_day (device_id, signal_id, day, t, value) VALUES (?, ?, ?, ?, ?) USING TTL ${ttl}`,
      selectSamples: `SELECT t, value FROM ${ks}.samples_by_signal_day WHERE device_id = ? AND signal_id = ? AND day = ? AND t >= ? AND t < ? LIMIT ?`,
      markSeen: `UPDATE ${ks}.vehicles USING TIMESTAMP ? SET last_seen = ? WHERE device_id = ?`,
      listVehicles: `SELECT device_id, last_seen FROM ${ks}.vehicles`,
      addDevice: `INSERT INTO ${ks}.devices (device_id, secret_hash, created) VALUES (?, ?, ?) IF NOT EXISTS`,
      getDevice: `SELECT device_id, secret_hash, created, revoked FROM ${ks}.devices WHERE device_id = ?`,
      listDevices: `SELECT device_id, secret_hash, created, revoked FROM ${ks}.devices`,
      revokeDevice: `UPDATE ${ks}.devices SET revoked = ? WHERE device_id = ? IF EXISTS`,
      // An upsert that leaves `acked` alone: holding again never un-acknowledges.
      holdCommand: `INSERT INTO ${ks}.held_commands_by_device (device_id, command_id, payload, expires, logged, log_offset) VALUES (?, ?, ?, ?, ?, ?) USING TTL ?`,
      heldCommands: `SELECT command_id, payload, expires, logged, log_offset, acked FROM ${ks}.held_commands_by_device WHERE device_id = ?`,
      heldCommandExpiry: `SELECT expires FROM ${ks}.held_commands_by_device WHERE device_id = ? AND command_id = ?`,
      recordAlert: `INSERT INTO ${ks}.alerts (alert_id, device_id, type, severity, condition_key, raised, evidence, clears_when) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      indexAlert: `INSERT INTO ${ks}.alerts_by_day (day, raised, alert_id) VALUES (?, ?, ?)`,
      getAlert: `SELECT * FROM ${ks}.alerts WHERE alert_id = ?`,
      alertsOfDay: `SELECT alert_id FROM ${ks}.alerts_by_day WHERE day = ? AND raised >= ? AND raised < ?`,
      clearAlert: `UPDATE ${ks}.alerts SET cleared = ? WHERE alert_id = ?`,
      acknowledgeAlert: `UPDATE ${ks}.alerts SET acknowledged = ?, acknowledged_by = ? WHERE alert_id = ?`,
      resolveAlert: `UPDATE ${ks}.alerts SET resolved = ?, resolved_by = ? WHERE alert_id = ?`,
      saveSnapshot: `UPDATE ${ks}.actor_snapshots USING TIMESTAMP ? SET data = ?, saved = ? WHERE actor_id = ?`,
      loadSnapshot: `SELECT data, saved FROM ${ks}.actor_snapshots WHERE actor_id = ?`,
      acknowledgeCommand: `UPDATE ${ks}.held_commands_by_device USING TTL ? SET acked = ? WHERE device_id = ? AND command_id = ?`,
    };
  }

  static async open(options: CassandraStoreOptions): Promise<CassandraStore> {
    const client = new cassandra.Client({
      contactPoints: [...options.contactPoints],
      localDataCenter: options.localDataCenter,
      queryOptions: {
        prepare: true,
        isIdempotent: true,
        consistency: cassandra.types.consistencies.localQuorum,
      },
      socketOptions: { connectTimeout: 10_000, readTimeout: 30_000 },
    });
    try {
      await client.connect();
      const store = new CassandraStore(client, options);
      await store.migrate();
      return store;
    } catch (err) {
      await client.shutdown().catch(() => {});
      throw new StoreUnavailableError(
        `cannot open Cassandra store at ${options.contactPoints.join(',')}: ${(err as Error).message}`,
        { cause: err },
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
      for (const cql of migration(ks, this.options)) await this.client.execute(cql);
      await this.client.execute(
        `INSERT INTO ${ks}.schema_migrations (version, applied_at) VALUES (?, ?)`,
        [version, new Date()],
      );
    }
  }

  async writeSamples(rows: readonly SampleRow[]): Promise<void> {
    this.assertOpen();
    if (rows.length === 0) return;
    await this.run(
      () =>
        cassandra.concurrent.executeConcurrent(
          this.client,
          this.q.insertSample,
          rows.map((r) => [r.deviceId, r.signalId, dayOf(r.timeMs), new Date(r.timeMs), r.value]),
          { concurrencyLevel: CONCURRENCY },
        ),
      `write ${rows.length} samples`,
    );
  }

  async querySamples(q: SampleQuery): Promise<StoredSample[]> {
    this.assertOpen();
    if (q.toMs <= q.fromMs || q.limit <= 0) return [];
    const out: StoredSample[] = [];
    // Day partitions in time order; stop as soon as the limit is reached.
    for (let day = dayOf(q.fromMs); day <= dayOf(q.toMs - 1) && out.length < q.limit; day++) {
      const result = await this.run(
        () =>
          this.client.execute(this.q.selectSamples, [
            q.deviceId,
            q.signalId,
            day,
            new Date(q.fromMs),
            new Date(q.toMs),
            q.limit - out.length,
          ]),
        'query samples',
      );
      for (const row of result.rows) {
        out.push({ timeMs: (row.get('t') as Date).getTime(), value: row.get('value') as number });
      }
    }
    return out;
  }

  async markSeen(vehicles: readonly VehicleSeen[]): Promise<void> {
    this.assertOpen();
    if (vehicles.length === 0) return;
    await this.run(
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
    const rows = await this.run(() => this.allRows(this.q.listVehicles), 'list vehicles');
    for (const row of rows) {
      const lastSeen = row.get('last_seen') as Date | null;
      if (lastSeen)
        out.push({ deviceId: row.get('device_id') as string, lastSeenMs: lastSeen.getTime() });
    }
    return out.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }

  async addDevice(record: DeviceRecord): Promise<boolean> {
    this.assertOpen();
    // A lightweight transaction: two registrations of one id cannot both succeed. Not
    // idempotent (a retried success reads as "exists"), so the driver must not retry it.
    const result = await this.run(
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
    const result = await this.run(
      () => this.client.execute(this.q.getDevice, [deviceId]),
      'get device',
    );
    const row = result.first();
    return row ? deviceOfRow(row) : undefined;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    this.assertOpen();
    const rows = await this.run(() => this.allRows(this.q.listDevices), 'list devices');
    return rows
      .map(deviceOfRow)
      .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }

  async revokeDevice(deviceId: string, atMs: number): Promise<boolean> {
    const existing = await this.getDevice(deviceId);
    if (!existing) return false;
    if (existing.revokedMs !== undefined) return true; // the first revocation time stands
    const result = await this.run(
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
    await this.run(
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
    const result = await this.run(
      () => this.client.execute(this.q.heldCommands, [deviceId]),
      'read held commands',
    );
    const out: HeldCommand[] = [];
    for (const row of result.rows) {
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
    const held = await this.run(
      () => this.client.execute(this.q.heldCommandExpiry, [deviceId, commandId]),
      'read a held command',
    );
    const expires = held.first()?.get('expires') as Date | null | undefined;
    await this.run(
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
    // Only the columns fixed at raise time: recording again rewrites the same values and
    // leaves acknowledgement and resolution alone.
    await this.run(
      () =>
        Promise.all([
          this.client.execute(this.q.recordAlert, [
            a.alertId,
            a.deviceId,
            a.type,
            a.severity,
            a.conditionKey,
            new Date(a.raisedMs),
            JSON.stringify(a.evidence),
            a.clearsWhen,
          ]),
          this.client.execute(this.q.indexAlert, [
            dayOf(a.raisedMs),
            new Date(a.raisedMs),
            a.alertId,
          ]),
        ]),
      'record an alert',
    );
  }

  async recordAlertCleared(alertId: string, clearedMs: number): Promise<void> {
    const alert = await this.getAlert(alertId);
    if (!alert) return;
    if (alert.clearedMs === undefined) {
      await this.run(
        () => this.client.execute(this.q.clearAlert, [new Date(clearedMs), alertId]),
        'clear an alert',
      );
    }
    if (alert.resolvedMs === undefined) {
      await this.run(
        () =>
          this.client.execute(this.q.resolveAlert, [new Date(clearedMs), CLEARED_BY_DATA, alertId]),
        'resolve an alert',
      );
    }
  }

  async acknowledgeAlert(alertId: string, by: string, atMs: number) {
    const alert = await this.getAlert(alertId);
    if (alert?.state !== 'open') return alert;
    await this.run(
      () => this.client.execute(this.q.acknowledgeAlert, [new Date(atMs), by, alertId]),
      'acknowledge an alert',
    );
    return this.getAlert(alertId);
  }

  async resolveAlert(alertId: string, by: string, atMs: number) {
    const alert = await this.getAlert(alertId);
    if (!alert || alert.state === 'resolved') return alert;
    await this.run(
      () => this.client.execute(this.q.resolveAlert, [new Date(atMs), by, alertId]),
      'resolve an alert',
    );
    return this.getAlert(alertId);
  }

  async getAlert(alertId: string): Promise<AlertRecord | undefined> {
    this.assertOpen();
    const result = await this.run(
      () => this.client.execute(this.q.getAlert, [alertId]),
      'read an alert',
    );
    const row = result.first();
    return row?.get('device_id') ? alertOfRow(row) : undefined;
  }

  async listAlerts(q: AlertQuery): Promise<AlertRecord[]> {
    this.assertOpen();
    const out: AlertRecord[] = [];
    if (q.toMs <= q.fromMs || q.limit <= 0) return out;
    // Day partitions newest first; stop as soon as the limit is reached.
    for (let day = dayOf(q.toMs - 1); day >= dayOf(q.fromMs) && out.length < q.limit; day--) {
      const ids = await this.run(
        () => this.client.execute(this.q.alertsOfDay, [day, new Date(q.fromMs), new Date(q.toMs)]),
        'list alerts',
      );
      const alerts = await Promise.all(
        ids.rows.map((r) => this.getAlert(r.get('alert_id') as string)),
      );
      for (const a of alerts) {
        if (!a || out.length >= q.limit) continue;
        if (q.deviceId && a.deviceId !== q.deviceId) continue;
        if (q.type && a.type !== q.type) continue;
        if (q.state && a.state !== q.state) continue;
        out.push(a);
      }
    }
    return out;
  }

  async saveSnapshot(snapshot: ActorSnapshot): Promise<void> {
    this.assertOpen();
    await this.run(
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
    const result = await this.run(
      () => this.client.execute(this.q.loadSnapshot, [actorId]),
      'load a snapshot',
    );
    const row = result.first();
    const data = row?.get('data') as string | null | undefined;
    if (!row || data === null || data === undefined) return undefined;
    return { actorId, data, savedMs: (row.get('saved') as Date).getTime() };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.shutdown();
  }

  /** Every row of a whole-table query, page by page (eachRow's autoPage hands over each). */
  private allRows(query: string): Promise<cassandra.types.Row[]> {
    const all: cassandra.types.Row[] = [];
    return new Promise((resolve, reject) => {
      this.client.eachRow(
        query,
        [],
        { fetchSize: 1000, autoPage: true },
        (_n, row) => all.push(row),
        (err) => (err ? reject(err) : resolve(all)),
      );
    });
  }

  private async run<T>(op: () => Promise<T>, what: string): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StoreUnavailableError(`Cassandra could not ${what}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

function alertOfRow(row: cassandra.types.Row): AlertRecord {
  const time = (name: string) => (row.get(name) as Date | null)?.getTime();
  const text = (name: string) => (row.get(name) as string | null) ?? undefined;
  const cleared = time('cleared');
  const acknowledged = time('acknowledged');
  const resolved = time('resolved');
  const acknowledgedBy = text('acknowledged_by');
  const resolvedBy = text('resolved_by');
  return {
    alertId: row.get('alert_id') as string,
    deviceId: row.get('device_id') as string,
    type: row.get('type') as string,
    severity: row.get('severity') as string,
    conditionKey: row.get('condition_key') as string,
    raisedMs: time('raised') ?? 0,
    evidence: JSON.parse((row.get('evidence') as string | null) ?? '{}') as AlertRecord['evidence'],
    clearsWhen: text('clears_when') ?? '',
    state:
      resolved !== undefined ? 'resolved' : acknowledged !== undefined ? 'acknowledged' : 'open',
    ...(cleared === undefined ? {} : { clearedMs: cleared }),
    ...(acknowledged === undefined ? {} : { acknowledgedMs: acknowledged }),
    ...(acknowledgedBy === undefined ? {} : { acknowledgedBy }),
    ...(resolved === undefined ? {} : { resolvedMs: resolved }),
    ...(resolvedBy === undefined ? {} : { resolvedBy }),
  };
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
