/**
 * Hostile input for property-based tests: what a device (or anything else that can write to
 * a topic) may put on the wire, at the extremes of every field — and bytes that are not a
 * valid encoding at all. By what they generate:
 *
 * - hostile/extremes.ts: field values — seqs, times, ids, doubles, enums, string bytes;
 * - hostile/messages.ts: each wire message with its fields at those extremes;
 * - hostile/damage.ts: whole encodings damaged, and lengths that lie;
 * - hostile/uplink.ts: what a hostile registered device publishes on its MQTT topics.
 *
 * Messages are built with the wire writer of ./protobuf-wire.ts rather than the generated
 * encoders, which cannot say what an attacker can (see there).
 */

export * from './hostile/damage.js';
export * from './hostile/extremes.js';
export * from './hostile/messages.js';
export * from './hostile/uplink.js';
