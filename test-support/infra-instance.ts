import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, repoRoot } from './process.js';

const execFileAsync = promisify(execFile);

/**
 * A private Cassandra node for a test that must stop and start it (a drill), started by
 * `infra/infra.sh` with a state dir and ports of its own, so that the shared node other test
 * files use at the same time is never touched. The state dir is kept under the checkout's
 * `.infra/` so the jars are copied from Maven's local cache once, not per run.
 */
export class PrivateCassandra {
  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  static async create(name: string): Promise<PrivateCassandra> {
    const [port, storagePort] = [await freePort(), await freePort()];
    const env: Record<string, string> = {
      FLEETLINE_INFRA_DIR: join(repoRoot, '.infra', name),
      CASSANDRA_PORT: String(port),
      CASSANDRA_STORAGE_PORT: String(storagePort),
      CASSANDRA_JMX_PORT: 'off',
      // Small: the shared node and the system under test need the memory more.
      CASSANDRA_HEAP: process.env.DRILL_CASSANDRA_HEAP ?? '512m',
      INFRA_STOP_TIMEOUT: '30',
    };
    return new PrivateCassandra(port, env);
  }

  get contactPoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts the node (fetching its jars the first time) and waits until it serves CQL. */
  up(): Promise<void> {
    return this.infra('up');
  }

  /** Stops the node: SIGTERM, then SIGKILL after the stop deadline. */
  down(): Promise<void> {
    return this.infra('down');
  }

  private async infra(verb: 'up' | 'down'): Promise<void> {
    const env = { ...process.env, ...this.env };
    // The shared node's address must not make infra.sh treat this one as external.
    delete env.CASSANDRA_CONTACT_POINTS;
    try {
      await execFileAsync('bash', [join(repoRoot, 'infra/infra.sh'), verb, 'cassandra'], {
        env,
        timeout: 300_000,
      });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`infra.sh ${verb} cassandra failed: ${e.message}\n${e.stdout}\n${e.stderr}`);
    }
  }
}

/**
 * A private single-node Kafka for a test that stops, starts or freezes it, started by
 * `infra/infra.sh` in a fresh state dir with ports of its own (the shared broker other test
 * files use is never touched). The jars of the shared instance are linked in when it has them.
 */
export class PrivateKafka {
  private constructor(
    readonly port: number,
    private readonly stateDir: string,
    private readonly env: Record<string, string>,
  ) {}

  static async create(): Promise<PrivateKafka> {
    const [port, controllerPort] = [await freePort(), await freePort()];
    const stateDir = mkdtempSync(join(tmpdir(), 'fleetline-private-kafka-'));
    const shared = join(repoRoot, '.infra/kafka');
    if (existsSync(shared)) {
      mkdirSync(join(stateDir, 'kafka'), { recursive: true });
      for (const name of readdirSync(shared)) {
        if (name.startsWith('lib-')) symlinkSync(join(shared, name), join(stateDir, 'kafka', name));
      }
    }
    return new PrivateKafka(port, stateDir, {
      FLEETLINE_INFRA_DIR: stateDir,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      // The shared broker's address must not make infra.sh treat this one as external.
      KAFKA_BROKERS: '',
    });
  }

  get broker(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts the broker (fetching its jars when missing) and waits until it serves. */
  up(): Promise<void> {
    return this.infra('up');
  }

  /** Stops the broker: SIGTERM, then SIGKILL after the stop deadline. */
  down(): Promise<void> {
    return this.infra('down');
  }

  /**
   * Freezes the broker's process (SIGSTOP): connections stay open and requests are read by no
   * one until thaw(), as with a broker stalled in a long pause.
   */
  freeze(): void {
    process.kill(this.pid(), 'SIGSTOP');
  }

  thaw(): void {
    process.kill(this.pid(), 'SIGCONT');
  }

  /** Stops the broker whatever its state and removes its state dir. */
  async dispose(): Promise<void> {
    try {
      this.thaw();
    } catch {
      // Not running.
    }
    await this.down().catch(() => {});
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  private pid(): number {
    return Number(readFileSync(join(this.stateDir, 'kafka/kafka.pid'), 'utf8').trim());
  }

  private async infra(verb: 'up' | 'down'): Promise<void> {
    try {
      await execFileAsync('bash', [join(repoRoot, 'infra/infra.sh'), verb, 'kafka'], {
        env: { ...process.env, ...this.env },
        timeout: 180_000,
      });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`infra.sh ${verb} kafka failed: ${e.message}\n${e.stdout}\n${e.stderr}`);
    }
  }
}
