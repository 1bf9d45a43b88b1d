import type { LimitedLog } from '@fleetline/platform';

/**
 * Where the gateway logs refusals — of connections, identities, topics, publishes — keyed by
 * the address or device they are about: a LimitedLog, so a flood of refusals writes bounded
 * lines. The parts take only this, so a test can keep every line.
 */
export type RefusalLog = Pick<LimitedLog, 'warn' | 'info'>;
