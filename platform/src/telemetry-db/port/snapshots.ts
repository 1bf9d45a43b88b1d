/**
 * An actor's state as saved to the telemetry database (JSON), restored when the actor is
 * activated again. A save never replaces a newer one (by `savedMs`), so an actor's old owner
 * finishing late after a rebalance cannot roll its state back.
 */
export interface ActorSnapshot {
  readonly actorId: string;
  readonly data: string;
  readonly savedMs: number;
}

export interface SnapshotTable {
  saveSnapshot(snapshot: ActorSnapshot): Promise<void>;
  loadSnapshot(actorId: string): Promise<ActorSnapshot | undefined>;
}
