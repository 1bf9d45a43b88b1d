import type { Counter, Logger } from '@fleetline/platform';
import type { Client } from 'aedes';
import type { Connections } from './connections.js';
import type { DeviceIdentity } from './identity.js';

/**
 * Revocation reaches devices already connected: each gateway re-checks its own connections
 * against the registry (shared by every gateway) every `everyMs`, so no signal between
 * gateways is needed. Returns the timer (unreferenced: it never keeps the process alive), for
 * the gateway to clear when it closes.
 */
export function checkRevocations(o: {
  stillAllowed(deviceId: string): Promise<boolean>;
  /** The devices connected here now, with their connections. */
  connections(): [string, Client][];
  /** Whether this is still the device's connection here (not replaced by a newer one). */
  isCurrent(deviceId: string, client: Client): boolean;
  everyMs: number;
  onRevoked(deviceId: string, client: Client): void;
}): NodeJS.Timeout {
  let checking = false;
  const timer = setInterval(async () => {
    if (checking) return;
    checking = true;
    try {
      const connected = o.connections();
      for (let i = 0; i < connected.length; i += 16) {
        await Promise.all(
          connected.slice(i, i + 16).map(async ([deviceId, client]) => {
            // A registry that cannot be read keeps devices connected: an outage of the database
            // must not disconnect the fleet; the next check decides.
            const allowed = await o.stillAllowed(deviceId).catch(() => true);
            if (!allowed && o.isCurrent(deviceId, client)) o.onRevoked(deviceId, client);
          }),
        );
      }
    } finally {
      checking = false;
    }
  }, o.everyMs);
  timer.unref();
  return timer;
}

export interface RevocationSweepOptions {
  identity: DeviceIdentity;
  connections: Pick<Connections, 'devices' | 'isCurrent'>;
  everyMs: number;
  /** fleetline_gateway_revoked_disconnects_total */
  revokedDisconnects: Counter;
  log: Logger;
}

/**
 * The gateway's sweep: its connected devices checked against the identity every `everyMs`, a
 * revoked one counted, logged and disconnected. Undefined when the identity cannot revoke
 * (no `stillAllowed`); else the timer, for the gateway's cleanup stack.
 */
export function startRevocationSweep(o: RevocationSweepOptions): NodeJS.Timeout | undefined {
  const stillAllowed = o.identity.stillAllowed?.bind(o.identity);
  if (!stillAllowed) return undefined;
  return checkRevocations({
    stillAllowed,
    connections: () => o.connections.devices(),
    isCurrent: (deviceId, client) => o.connections.isCurrent(deviceId, client),
    everyMs: o.everyMs,
    onRevoked(deviceId, client) {
      o.revokedDisconnects.inc();
      o.log.warn({ deviceId }, 'device revoked: disconnected');
      client.close();
    },
  });
}
