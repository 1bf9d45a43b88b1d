import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkPost,
  errorAnswer,
  type FakeRobotPost,
  OK,
  type RobotErrcode,
} from './fake-robot-rules.js';
import { ROBOT_MESSAGES_PER_MINUTE, type RobotAnswer, WEBHOOK_PATH } from './robot-wire.js';

export interface FakeRobotServerOptions {
  /** The robots it has, by webhook key (default: one with a fresh key). */
  keys?: readonly string[];
  /** Posts a robot may make in any 60 seconds before 45009 (WeCom's 20). */
  perMinute?: number;
  now?: () => number;
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

type Lost = 'hang' | 'reset';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * A contract-true fake of the WeCom group robot's webhook for tests and the demo: it checks
 * the key (93000), the msgtype (40008), the content and its length in UTF-8 bytes (44004,
 * 40058) and each robot's 20 posts a minute (45009), answering with WeCom's
 * `{errcode, errmsg}` over HTTP 200; it records each post it accepts. Controls: fail the next
 * post with an errcode, delay answers, lose the next answer (take the post, then never answer
 * or drop the connection), remove a robot.
 */
export class FakeRobotServer {
  private readonly keys: Set<string>;
  private readonly accepted: FakeRobotPost[] = [];
  private readonly failures: RobotErrcode[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly perMinute: number;
  private readonly now: () => number;
  private lost: Lost | undefined;
  private delayMs = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    o: FakeRobotServerOptions,
  ) {
    this.keys = new Set(o.keys ?? [randomUUID()]);
    this.perMinute = o.perMinute ?? ROBOT_MESSAGES_PER_MINUTE;
    this.now = o.now ?? Date.now;
    server.on('request', (req, res) => void this.handle(req, res));
  }

  static async start(o: FakeRobotServerOptions = {}): Promise<FakeRobotServer> {
    const server = createServer();
    const fake = new FakeRobotServer(server, o);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** Base URL, e.g. `http://127.0.0.1:41234`: the adapter's `baseUrl`. */
  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  /** A key of one of its robots. */
  get key(): string {
    const [first] = this.keys;
    if (first === undefined) throw new Error('the fake robot server has no robots');
    return first;
  }

  /** Every post it accepted, in order, including those whose answer it lost. */
  get posts(): readonly FakeRobotPost[] {
    return [...this.accepted];
  }

  addRobot(key: string = randomUUID()): string {
    this.keys.add(key);
    return key;
  }

  /** The robot is removed from its group: its key answers 93000 from now on. */
  removeRobot(key: string): void {
    this.keys.delete(key);
  }

  /** The next post gets this errcode instead, and nothing is posted. */
  failNext(errcode: RobotErrcode): void {
    this.failures.push(errcode);
  }

  /** Holds every answer this long from now on (0 to stop). */
  delayAnswers(ms: number): void {
    this.delayMs = ms;
  }

  /** Takes the next post, then never answers (`hang`) or drops the connection (`reset`). */
  loseNextAnswer(how: Lost = 'hang'): void {
    this.lost = how;
  }

  /** Stops listening and drops open connections (answers held back or lost); idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const ip = req.socket.remoteAddress?.replace(/^::ffff:/, '');
    if (url.pathname !== WEBHOOK_PATH) {
      res.writeHead(404).end();
      return;
    }
    const key = url.searchParams.get('key') ?? '';
    if (!this.keys.has(key)) return this.answer(res, errorAnswer(93000, undefined, ip));
    if (req.method !== 'POST') return this.answer(res, errorAnswer(43002, undefined, ip));
    const failure = this.failures.shift();
    if (failure !== undefined) return this.answer(res, errorAnswer(failure, undefined, ip));
    const checked = checkPost(body, ip);
    if ('error' in checked) return this.answer(res, checked.error);
    const now = this.now();
    const recent = this.accepted.filter((p) => p.key === key && p.at > now - 60_000).length;
    if (recent >= this.perMinute) return this.answer(res, errorAnswer(45009, undefined, ip));
    this.accepted.push({ ...checked.post, key, at: now });
    const lost = this.lost;
    this.lost = undefined;
    if (lost === 'hang') return; // the connection stays open until the client gives up
    if (lost === 'reset') {
      res.socket?.destroy();
      return;
    }
    await this.answer(res, OK);
  }

  private async answer(res: ServerResponse, answer: RobotAnswer): Promise<void> {
    if (this.delayMs > 0)
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, this.delayMs);
        this.timers.add(t);
      });
    if (res.destroyed) return;
    // WeCom answers errors as well as success with HTTP 200.
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(answer));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
