import { createHash } from 'node:crypto';
import type { AlertChange, AlertType, Evidence } from '@fleetline/proto';
import type { Findings } from '../detectors/findings.js';

/**
 * Turns a vehicle's findings into the alert changes for `alerts.v1`. Pure.
 *
 * An alert's id is derived from (device, type, condition key, raised time), so the same
 * finding made again — after a crash, from a snapshot, on redelivered input — has the same id,
 * and consumers treat it as one alert. Conditions that clear by data stay in `open` (condition
 * → alert id) until their CLEARED change, which carries the id of the RAISED one. Conditions
 * people resolve (collisions, driving events: their detectors say so) are not kept.
 */

/** Open conditions of one vehicle: `${type}/${key}` → alert id. Plain data, snapshotted. */
export type OpenAlerts = Readonly<Record<string, string>>;

export function alertId(
  deviceId: string,
  type: AlertType,
  key: string,
  raisedAtMs: number,
): string {
  return createHash('sha256')
    .update(`${deviceId}\n${type}\n${key}\n${raisedAtMs}`)
    .digest('base64url')
    .slice(0, 22);
}

export function alertChanges(
  deviceId: string,
  open: OpenAlerts,
  findings: Findings,
): { open: OpenAlerts; changes: AlertChange[] } {
  const next: Record<string, string> = { ...open };
  const changes: AlertChange[] = [];
  // In time order, so a condition that closed and opened again within one input ends open.
  const steps = [
    ...findings.raised.map((r) => ({ at: r.timeMs, raised: r })),
    ...findings.cleared.map((c) => ({ at: c.timeMs, cleared: c })),
  ].sort((x, y) => x.at - y.at);
  for (const step of steps) {
    if ('raised' in step) {
      const r = step.raised;
      const condition = `${r.type}/${r.key}`;
      if (next[condition]) continue; // open already: never raised twice
      const id = alertId(deviceId, r.type, r.key, r.timeMs);
      if (!r.clearedByPeople) next[condition] = id;
      changes.push({
        alertId: id,
        deviceId,
        type: r.type,
        severity: r.severity,
        transition: 'raised',
        conditionKey: r.key,
        timeMs: r.timeMs,
        evidence: finiteEvidence(r.evidence),
        clearsWhen: r.clearsWhen,
      });
      continue;
    }
    const c = step.cleared;
    const condition = `${c.type}/${c.key}`;
    const id = next[condition];
    if (!id) continue; // raised before this state existed, or cleared already
    delete next[condition];
    changes.push({
      alertId: id,
      deviceId,
      type: c.type,
      // A CLEARED change is about the condition, not a new level of urgency.
      severity: 'info',
      transition: 'cleared',
      conditionKey: c.key,
      timeMs: c.timeMs,
      evidence: finiteEvidence(c.evidence),
      clearsWhen: '',
    });
  }
  return { open: next, changes };
}

/**
 * Evidence as the wire takes it: a number a detector computed as NaN or ±∞ (finite inputs can
 * overflow — a device's acceleration near the largest double integrates to infinity) is told
 * in words, "NaN", "Infinity" or "-Infinity". The codec refuses non-finite evidence numbers
 * (stored as JSON they would become null), and an alert change that cannot be encoded would
 * stop the vehicle's processing on every replay of the message that raised it.
 */
export function finiteEvidence(evidence: Evidence): Evidence {
  let out: Record<string, number | string> | undefined;
  for (const [k, v] of Object.entries(evidence)) {
    if (typeof v !== 'number' || Number.isFinite(v)) continue;
    out ??= { ...evidence };
    out[k] = String(v);
  }
  return out ?? evidence;
}
