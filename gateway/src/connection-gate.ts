import { TokenBuckets } from '@fleetline/platform';

/**
 * Admission of new connections, on their raw socket, before any TLS handshake, WebSocket
 * upgrade, MQTT parsing or password check: new connections per second per address, open
 * connections in all, and open connections per address. One gate serves every listener (TCP,
 * TLS, WebSocket), so the bound is the gateway's, not each listener's; it is MQTT's own, so
 * that MQTT and the HTTP API (which has its own caps) cannot take each other's file handles.
 */

export type ConnectionRefusal = 'rate' | 'max-connections' | 'max-connections-per-address';

export interface ConnectionGateOptions {
  /** Open connections in all. */
  maxConnections: number;
  /** Open connections from one address. */
  maxConnectionsPerAddress: number;
  /** New connections per second from one address (twice this as a burst). */
  ratePerAddress: number;
  now?: () => number;
}

export class ConnectionGate {
  private readonly rate: TokenBuckets;
  private readonly perAddress = new Map<string, number>();
  private total = 0;

  constructor(private readonly o: ConnectionGateOptions) {
    this.rate = new TokenBuckets(o.ratePerAddress, 2 * o.ratePerAddress, o.now);
  }

  get open(): number {
    return this.total;
  }

  /**
   * Lets a connection from `address` in — and returns what to call once it has closed — or
   * says why not.
   */
  enter(address: string): { release(): void } | { refused: ConnectionRefusal } {
    if (!this.rate.allow(address)) return { refused: 'rate' };
    if (this.total >= this.o.maxConnections) return { refused: 'max-connections' };
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (fromAddress >= this.o.maxConnectionsPerAddress) {
      return { refused: 'max-connections-per-address' };
    }
    this.total++;
    this.perAddress.set(address, fromAddress + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.perAddress.get(address) ?? 1) - 1;
        if (left > 0) this.perAddress.set(address, left);
        else this.perAddress.delete(address);
      },
    };
  }
}

/** The address a limit is kept by: an IPv4 address arriving as IPv6-mapped is the IPv4 one. */
export function addressKey(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
}
