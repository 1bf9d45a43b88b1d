import { signalByName } from '@fleetline/proto';
import type { CollectionPolicy } from '../collect/policy.js';
import { SignalMapper } from '../signals/mapping.js';
import type { AgentConfig } from './config.js';
import type { PipelineOptions } from './pipeline.js';

/** A signal without a policy of its own (and no collection.default) is taken once a second. */
const DEFAULT_POLICY: CollectionPolicy = { kind: 'period', periodMs: 1000 };
const DEFAULT_BATCH_INTERVAL_MS = 5000;
/** Worst case ~14 bytes a sample (a double plus its time delta and series overhead). */
const WORST_CASE_SAMPLE_BYTES = 14;

/**
 * The pipeline's options from the agent's config: the signal mappings, each catalogue
 * signal's collection policy, the triggers and the crash detector, and when a batch closes —
 * after batchIntervalMs, or early at as many samples as `maxBatchBytes` surely holds.
 */
export function pipelineOptions(config: AgentConfig, maxBatchBytes: number): PipelineOptions {
  const collection = config.collection;
  const defaultPolicy = collection?.default ?? DEFAULT_POLICY;
  const policies = new Map<number, CollectionPolicy>();
  for (const [name, policy] of Object.entries(collection?.signals ?? {})) {
    const s = signalByName(name);
    if (s) policies.set(s.id, policy);
  }
  return {
    mapper: new SignalMapper(config.signals),
    policyOf: (id) => policies.get(id) ?? defaultPolicy,
    triggers: config.triggers ?? [],
    crash: config.crash,
    batchIntervalMs: config.uplink.batchIntervalMs ?? DEFAULT_BATCH_INTERVAL_MS,
    maxBatchSamples: Math.floor(maxBatchBytes / WORST_CASE_SAMPLE_BYTES),
  };
}
