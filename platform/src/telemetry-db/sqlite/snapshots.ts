import type Database from 'better-sqlite3';
import type { ActorSnapshot, SnapshotTable } from '../port/snapshots.js';

/** Actors' snapshots: an upsert that keeps the newer save. */
export class SqliteSnapshots implements SnapshotTable {
  private readonly save;
  private readonly load;

  constructor(db: Database.Database) {
    this.save = db.prepare(
      'INSERT INTO actor_snapshots (actor_id, data, saved_ms) VALUES (?, ?, ?) ON CONFLICT (actor_id) DO UPDATE SET data = excluded.data, saved_ms = excluded.saved_ms WHERE excluded.saved_ms >= actor_snapshots.saved_ms',
    );
    this.load = db.prepare<[string], { actor_id: string; data: string; saved_ms: number }>(
      'SELECT actor_id, data, saved_ms FROM actor_snapshots WHERE actor_id = ?',
    );
  }

  async saveSnapshot(snapshot: ActorSnapshot): Promise<void> {
    this.save.run(snapshot.actorId, snapshot.data, snapshot.savedMs);
  }

  async loadSnapshot(actorId: string): Promise<ActorSnapshot | undefined> {
    const row = this.load.get(actorId);
    return row ? { actorId: row.actor_id, data: row.data, savedMs: row.saved_ms } : undefined;
  }
}
