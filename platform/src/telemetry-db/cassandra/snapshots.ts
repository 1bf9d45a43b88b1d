import cassandra from 'cassandra-driver';
import type { ActorSnapshot, SnapshotTable } from '../port/snapshots.js';
import { run } from './io.js';

/**
 * An actor's snapshot: one row per actor, last-write-wins on its save time (USING
 * TIMESTAMP), so a late save from an actor's old owner cannot roll it back.
 */
export class CassandraSnapshots implements SnapshotTable {
  private readonly q;

  constructor(
    private readonly client: cassandra.Client,
    ks: string,
  ) {
    this.q = {
      saveSnapshot: `UPDATE ${ks}.actor_snapshots USING TIMESTAMP ? SET data = ?, saved = ? WHERE actor_id = ?`,
      loadSnapshot: `SELECT data, saved FROM ${ks}.actor_snapshots WHERE actor_id = ?`,
    };
  }

  async saveSnapshot(snapshot: ActorSnapshot): Promise<void> {
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
    const result = await run(
      () => this.client.execute(this.q.loadSnapshot, [actorId]),
      'load a snapshot',
    );
    const row = result.first();
    const data = row?.get('data') as string | null | undefined;
    if (!row || data === null || data === undefined) return undefined;
    return { actorId, data, savedMs: (row.get('saved') as Date).getTime() };
  }
}
