import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireInfra } from './infra.js';
import { freePort, repoRoot } from './process.js';
import type { TestPki } from './tls.js';

/**
 * A short-lived single-node Kafka (KRaft) of its own, for tests of what the shared broker does
 * not offer: TLS, mutual TLS and SASL listeners. It is the distribution `infra/infra.sh`
 * installs (the same jars, fetched the same way when missing), started by infra.sh with its
 * own state folder, ports and a small heap; its certificates are the test's PKI (PEM).
 */

const run = promisify(execFile);

export interface TestBrokerUser {
  readonly name: string;
  readonly password: string;
}

export interface TestBroker {
  /** host:port of each listener. */
  readonly plaintext: string;
  /** TLS; a client certificate is asked for but not required. */
  readonly ssl: string;
  /** TLS that requires a client certificate signed by the test CA. */
  readonly mtls: string;
  /** TLS with SASL: PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 for the users given. */
  readonly saslSsl: string;
  stop(): Promise<void>;
}

/** Where infra.sh keeps the jars of the regular `infra:up`. */
const libRoot = () =>
  process.env.FLEETLINE_INFRA_LIB_DIR ??
  process.env.FLEETLINE_INFRA_DIR ??
  join(repoRoot, '.infra');

const runs = (command: string, args: string[]) => {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * Whether this machine can run a broker of its own: a Java runtime, and Kafka's jars (from
 * `npm run infra:up`) or Maven to fetch them.
 */
export function brokerAvailability(): { available: boolean; reason?: string } {
  const java = process.env.FLEETLINE_JAVA ?? 'java';
  const jars = existsSync(join(libRoot(), 'kafka')) || runs('mvn', ['-v']);
  const reason = !runs(java, ['-version'])
    ? 'no Java runtime to start a Kafka broker of its own (set FLEETLINE_JAVA)'
    : !jars
      ? `no Kafka jars in ${libRoot()} and no Maven to fetch them (run \`npm run infra:up\`)`
      : undefined;
  if (!reason) return { available: true };
  if (requireInfra) throw new Error(`REQUIRE_INFRA=1 but ${reason}`);
  return { available: false, reason };
}

export async function startTlsBroker(
  dir: string,
  pki: TestPki,
  users: readonly TestBrokerUser[],
): Promise<TestBroker> {
  const [plain, controller, ssl, mtls, saslSsl] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  mkdirSync(dir, { recursive: true });
  // Kafka's PEM key store: the private key (PKCS#8, unencrypted) and the certificate chain.
  const keystore = join(dir, 'broker-keystore.pem');
  writeFileSync(keystore, Buffer.concat([pki.serverKey, pki.serverCert]));
  const host = '127.0.0.1';
  const jaas = (mechanism: string, module: string, extra = '') =>
    `listener.name.sasl_ssl.${mechanism}.sasl.jaas.config=org.apache.kafka.common.security.${module} required${extra};`;
  const properties = [
    `listeners=PLAINTEXT://${host}:${plain},CONTROLLER://${host}:${controller},SSL://${host}:${ssl},MTLS://${host}:${mtls},SASL_SSL://${host}:${saslSsl}`,
    `advertised.listeners=PLAINTEXT://${host}:${plain},SSL://${host}:${ssl},MTLS://${host}:${mtls},SASL_SSL://${host}:${saslSsl}`,
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,MTLS:SSL,SASL_SSL:SASL_SSL',
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${keystore}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${pki.caFile}`,
    'ssl.client.auth=requested',
    'listener.name.mtls.ssl.client.auth=required',
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    jaas(
      'plain',
      'plain.PlainLoginModule',
      users.map((u) => ` user_${u.name}="${u.password}"`).join(''),
    ),
    jaas('scram-sha-256', 'scram.ScramLoginModule'),
    jaas('scram-sha-512', 'scram.ScramLoginModule'),
  ];
  const extra = join(dir, 'tls.properties');
  writeFileSync(extra, `${properties.join('\n')}\n`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLEETLINE_INFRA_DIR: join(dir, 'state'),
    // The jars of the regular `infra:up` (fetched there first when missing).
    FLEETLINE_INFRA_LIB_DIR: libRoot(),
    KAFKA_PORT: String(plain),
    KAFKA_CONTROLLER_PORT: String(controller),
    KAFKA_HEAP: '-Xms96m -Xmx192m',
    KAFKA_EXTRA_PROPERTIES: extra,
    // SCRAM users live in the cluster's metadata: added when its storage is formatted.
    KAFKA_FORMAT_ARGS: users
      .flatMap((u) =>
        ['SCRAM-SHA-256', 'SCRAM-SHA-512'].map(
          (m) => `--add-scram ${m}=[name=${u.name},password=${u.password}]`,
        ),
      )
      .join(' '),
  };
  // This broker is started here, never an external one.
  delete env.KAFKA_BROKERS;
  const infra = (command: string) =>
    run('bash', [join(repoRoot, 'infra/infra.sh'), command, 'kafka'], {
      env,
      timeout: 300_000,
      maxBuffer: 4 << 20,
    });
  try {
    await infra('up');
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    await infra('down').catch(() => {});
    throw new Error(
      `the test's Kafka broker did not start: ${e.message}\n${e.stdout}\n${e.stderr}`,
    );
  }
  return {
    plaintext: `${host}:${plain}`,
    ssl: `${host}:${ssl}`,
    mtls: `${host}:${mtls}`,
    saslSsl: `${host}:${saslSsl}`,
    stop: async () => {
      await infra('down');
    },
  };
}
