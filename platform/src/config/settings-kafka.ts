import Type from 'typebox';
import { File, List, setting, TlsVerify, verifyDoc } from './setting.js';

/** How the gateway and the cloud reach Kafka: brokers, topics, TLS and SASL. */
export const kafkaSettings = {
  kafkaBrokers: setting(
    'KAFKA_BROKERS',
    List,
    [],
    'Comma-separated Kafka bootstrap brokers (host:port). Empty: the embedded log on SQLite.',
    'gateway, cloud',
  ),
  kafkaClientId: setting(
    'KAFKA_CLIENT_ID',
    Type.String({ minLength: 1 }),
    'fleetline',
    'Client id sent to Kafka.',
    'gateway, cloud',
  ),
  topicPrefix: setting(
    'KAFKA_TOPIC_PREFIX',
    Type.String({ pattern: '^[A-Za-z0-9._-]*$' }),
    '',
    'Prefix for every Kafka topic name, so several installations can share one cluster.',
    'gateway, cloud',
  ),
  topicPartitions: setting(
    'LOG_PARTITIONS',
    Type.Integer({ minimum: 1, maximum: 10_000 }),
    6,
    'Partitions of each topic created by Fleetline (the ceiling on processors sharing the work).',
    'gateway, cloud',
  ),
  topicReplication: setting(
    'KAFKA_REPLICATION_FACTOR',
    Type.Integer({ minimum: 1, maximum: 16 }),
    1,
    'Replication factor of topics Fleetline creates (3 in production).',
    'gateway, cloud',
  ),
  kafkaSecurityProtocol: setting(
    'KAFKA_SECURITY_PROTOCOL',
    Type.Union([
      Type.Literal('PLAINTEXT'),
      Type.Literal('SSL'),
      Type.Literal('SASL_SSL'),
      Type.Literal('SASL_PLAINTEXT'),
    ]),
    'PLAINTEXT',
    'How clients reach the brokers, as Kafka’s security.protocol: PLAINTEXT, SSL (TLS), SASL_SSL (TLS and SASL authentication), SASL_PLAINTEXT (SASL without TLS: with PLAIN the password crosses the network in clear).',
    'gateway, cloud',
  ),
  kafkaTlsCaFile: setting(
    'KAFKA_TLS_CA_FILE',
    File,
    '',
    'PEM CA certificate(s) that signed the brokers’ certificates (SSL, SASL_SSL). Empty: Node’s built-in public CAs.',
    'gateway, cloud',
  ),
  kafkaTlsCertFile: setting(
    'KAFKA_TLS_CERT_FILE',
    File,
    '',
    'PEM client certificate (chain), for brokers that authenticate clients by certificate (ssl.client.auth); with KAFKA_TLS_KEY_FILE.',
    'gateway, cloud',
  ),
  kafkaTlsKeyFile: setting(
    'KAFKA_TLS_KEY_FILE',
    File,
    '',
    'PEM private key of KAFKA_TLS_CERT_FILE.',
    'gateway, cloud',
  ),
  kafkaTlsServername: setting(
    'KAFKA_TLS_SERVERNAME',
    Type.String(),
    '',
    'Name the brokers’ certificates must be issued for, also sent as SNI; for brokers reached through one name. Empty: each broker’s own host (sent as SNI when it is a name).',
    'gateway, cloud',
  ),
  kafkaTlsVerify: setting(
    'KAFKA_TLS_VERIFY',
    TlsVerify,
    'full',
    verifyDoc('the brokers’'),
    'gateway, cloud',
  ),
  kafkaSaslMechanism: setting(
    'KAFKA_SASL_MECHANISM',
    Type.Union([
      Type.Literal('SCRAM-SHA-512'),
      Type.Literal('SCRAM-SHA-256'),
      Type.Literal('PLAIN'),
    ]),
    'SCRAM-SHA-512',
    'SASL mechanism (SASL_SSL, SASL_PLAINTEXT): SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN.',
    'gateway, cloud',
  ),
  kafkaSaslUsername: setting(
    'KAFKA_SASL_USERNAME',
    Type.String(),
    '',
    'SASL user name (SASL_SSL, SASL_PLAINTEXT).',
    'gateway, cloud',
  ),
  kafkaSaslPassword: setting(
    'KAFKA_SASL_PASSWORD',
    Type.String(),
    '',
    'SASL password; never logged.',
    'gateway, cloud',
    { secret: true },
  ),
} as const;
