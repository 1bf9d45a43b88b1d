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

export interface EventTable {
  /** Idempotent by (device, time, seq). */
  writeEvents(rows: readonly EventRow[]): Promise<void>;
  listEvents(query: EventQuery): Promise<EventRow[]>;
}
