import { InvalidMessageError, LimitExceededError } from './errors.js';

/**
 * How long the free-text fields of the wire contract may be, and how many entries its maps
 * may hold. Without a bound such a field is limited only by the packet (256 KiB by default)
 * and is stored as it comes — in the device's status row, the dead-letter record, every alert
 * row and every live event that repeats it. Each limit is far above what a real value
 * reaches, so nothing real is ever refused:
 *
 * - agent_version: a semantic version ("0.1.0"; with pre-release and build metadata such as
 *   "1.12.3-rc.2+20261205.g1a2b3c4" still under 40).
 * - trigger_capture.name: a trigger's name from the agent's config, which allows 64.
 * - command_id: a UUID (36) or ULID (26), perhaps behind a short prefix.
 * - set_config: keys are setting paths ("uplink.batchIntervalMs"); values are numbers,
 *   names or a trigger's condition, a few hundred characters at most. The agent has a few
 *   dozen settings.
 * - alert_id: 22 characters (alert-changes.ts); condition_key: a trouble code, a crash's
 *   "edge-<epoch>.<seq>" (under 32); evidence: a detector's few named numbers and words (a
 *   collision has nine); clears_when: one sentence.
 * - service_id: the API's (at most 128 characters, or a UUID it makes).
 *
 * Lengths are counted in characters — Unicode code points, as JSON Schema (and so the
 * agent's config) counts them — so a limit of n is at most 4n bytes of UTF-8.
 */
export const TEXT_LIMITS = {
  agentVersion: 64,
  triggerName: 64,
  commandId: 128,
  setConfigKey: 128,
  setConfigValue: 4096,
  alertId: 64,
  conditionKey: 128,
  evidenceKey: 64,
  evidenceText: 256,
  clearsWhen: 512,
  serviceId: 128,
} as const;

/** Settings one SetConfig command may change. */
export const MAX_SET_CONFIG_ENTRIES = 64;
/** Named values one alert change may carry as evidence. */
export const MAX_EVIDENCE_ENTRIES = 32;

/** Characters in s: its code points (one or two UTF-16 units each). */
function characters(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Throws unless `value` has at most `max` characters (and, when required, at least one),
 * naming `field`. The message quotes no more than the start of the value.
 */
export function checkText(
  value: string,
  max: number,
  field: string,
  { required = false }: { required?: boolean } = {},
): void {
  if (required && value.length === 0) throw new InvalidMessageError(`${field} must be set`);
  // A code point is at most two units: only a string longer than max units needs counting.
  if (value.length <= max) return;
  const n = characters(value);
  if (n > max) {
    throw new LimitExceededError(
      `${field} is ${n} characters long; at most ${max} are allowed (it starts ${JSON.stringify(clip(value))})`,
    );
  }
}

/** Throws unless a map has at most `max` entries, naming `field`. */
export function checkEntries(count: number, max: number, field: string): void {
  if (count > max) {
    throw new LimitExceededError(
      `${field} carries ${count} entries; at most ${max} are allowed in one message`,
    );
  }
}

/** The start of a string, for an error message (never a whole hostile string). */
export function clip(s: string, max = 32): string {
  const start = Array.from(s.slice(0, 2 * max))
    .slice(0, max)
    .join('');
  return start.length < s.length ? `${start}…` : s;
}
