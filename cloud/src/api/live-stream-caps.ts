import type { ServerResponse } from 'node:http';
import { type Counter, getOrCreateCounter, type Registry } from '@fleetline/platform';
import { CloudErrorCodes } from '../errors.js';

/**
 * The caps on open live streams. A stream holds a connection for as long as the client likes,
 * so there are at most `maxStreamsPerAddress` from one IP address (more answer 429) and
 * `maxStreams` in all (more answer 503), each with Retry-After and a message saying what to
 * do. One stream can carry any number of devices (repeat `deviceId`), so a page needs one.
 */

export interface StreamRefusal {
  readonly statusCode: 429 | 503;
  /** Seconds, as the Retry-After header takes them. */
  readonly retryAfter: string;
  readonly body: {
    readonly statusCode: 429 | 503;
    readonly error: string;
    readonly message: string;
    readonly code: string;
  };
}

/** Where refused streams are counted, by reason (get-or-create: servers may share a registry). */
export function refusedStreams(registry: Registry): Counter<'reason'> {
  return getOrCreateCounter(registry, {
    name: 'fleetline_live_streams_refused_total',
    help: 'GET /api/live streams refused, by reason (per-address, max-streams)',
    labelNames: ['reason'],
  });
}

/** The open streams, by address; what the caps refuse. */
export class OpenStreams {
  private readonly open = new Set<ServerResponse>();
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly o: {
      maxStreams: number;
      maxPerAddress: number;
      refused: Counter<'reason'>;
    },
  ) {}

  /** Why a stream from `address` may not open now (the refusal counted), if it may not. */
  refusal(address: string): StreamRefusal | undefined {
    const fromAddress = this.perAddress.get(address) ?? 0;
    const { maxStreams, maxPerAddress } = this.o;
    if (fromAddress < maxPerAddress && this.open.size < maxStreams) return undefined;
    const perAddressFull = fromAddress >= maxPerAddress;
    this.o.refused.inc({ reason: perAddressFull ? 'per-address' : 'max-streams' });
    const statusCode = perAddressFull ? 429 : 503;
    return {
      statusCode,
      retryAfter: perAddressFull ? '10' : '30',
      body: {
        statusCode,
        error: perAddressFull ? 'Too Many Requests' : 'Service Unavailable',
        message: perAddressFull
          ? `too many live streams from this address (${fromAddress} open, at most ${maxPerAddress}); close one, or follow several vehicles on one stream (repeat deviceId)`
          : `too many live streams open on this server (at most ${maxStreams}); try again later`,
        code: CloudErrorCodes.tooManyStreams,
      },
    };
  }

  opened(res: ServerResponse, address: string): void {
    this.open.add(res);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
  }

  closed(res: ServerResponse, address: string): void {
    if (!this.open.delete(res)) return;
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(address, left);
    else this.perAddress.delete(address);
  }

  /** Ends every open stream (they never finish on their own). */
  endAll(): void {
    for (const res of this.open) res.end();
  }
}
