import type { AlertChannel, DeliveryFailureCode } from '../../../src/channels/alert-channel.js';
import type { AlertTemplate, Recipient } from '../../../src/channels/alert-message.js';

/**
 * What the AlertChannel contract needs of an adapter: a channel and its far side (the log for
 * the console, a contract-true fake of the vendor's server otherwise). Each other module of
 * this folder exports one `adapter`; the contract runs every one.
 */

/** What reached the far side: one entry per push. */
export interface Push {
  idempotencyKey: string;
  templateId: string;
  parameters: Record<string, string>;
}

export interface Rig {
  channel: AlertChannel;
  /** An address the channel sends to. */
  recipient: Recipient;
  pushes(): Promise<Push[]>;
  /** The far side fails the next push the way its vendor answers for `code`. */
  failNext(code: DeliveryFailureCode): void;
  /** The far side takes the next push, and its answer never comes back. */
  loseNextAnswer?(): void;
}

export interface Adapter {
  name: string;
  /** The failures its far side can produce (at least one). */
  failures: readonly DeliveryFailureCode[];
  /** Whether its far side can lose an answer (vendors reached over a network). */
  losesAnswers: boolean;
  /** A channel with these templates, and its far side. */
  rig(templates: readonly AlertTemplate[]): Promise<Rig>;
}
