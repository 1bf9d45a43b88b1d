import { LogClosedError } from '../../errors.js';
import type { LogConsumer, LogProducer } from '../port.js';

type Closable = { close(): Promise<void> };

/**
 * The clients a Kafka adapter opened and that are still open, so that closing the log closes
 * them (each client also closes on its own); after that the adapter refuses new work.
 */
export class OpenClients {
  private closed = false;
  private readonly clients = new Set<Closable>();

  assertOpen(): void {
    if (this.closed) throw new LogClosedError();
  }

  /** `client` (a consumer or tail) closed with the log, unless it was closed before. */
  track(client: Closable): LogConsumer {
    this.clients.add(client);
    return {
      close: async () => {
        this.clients.delete(client);
        await client.close();
      },
    };
  }

  /**
   * A producer closed with the log: its own close() sends what is queued first; `client`
   * closes it at once (the log closing under it).
   */
  trackProducer(producer: LogProducer, client: Closable): LogProducer {
    this.clients.add(client);
    return {
      send: (records) => producer.send(records),
      close: async () => {
        this.clients.delete(client);
        await producer.close();
      },
    };
  }

  async closeAll(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.clients].map((c) => c.close()));
    this.clients.clear();
  }
}
