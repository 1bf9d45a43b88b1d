import Type from 'typebox';
import { File, List, setting, TlsVerify, verifyDoc } from './setting.js';

/** How the store reaches Cassandra, and how long samples are kept. */
export const cassandraSettings = {
  cassandraContactPoints: setting(
    'CASSANDRA_CONTACT_POINTS',
    List,
    [],
    'Comma-separated Cassandra contact points (host or host:port). Empty: the SQLite database.',
    'cloud',
  ),
  cassandraLocalDc: setting(
    'CASSANDRA_LOCAL_DC',
    Type.String({ minLength: 1 }),
    'datacenter1',
    'Local data centre for the Cassandra driver’s load balancing.',
    'cloud',
  ),
  cassandraKeyspace: setting(
    'CASSANDRA_KEYSPACE',
    Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,47}$' }),
    'fleetline',
    'Keyspace; created with the replication factor below when missing.',
    'cloud',
  ),
  cassandraReplication: setting(
    'CASSANDRA_REPLICATION_FACTOR',
    Type.Integer({ minimum: 1, maximum: 16 }),
    1,
    'Replication factor of a keyspace Fleetline creates (3 in production).',
    'cloud',
  ),
  cassandraTls: setting(
    'CASSANDRA_TLS',
    Type.Boolean(),
    false,
    'Connect to Cassandra over TLS (the nodes’ client_encryption_options): true or false.',
    'cloud',
  ),
  cassandraTlsCaFile: setting(
    'CASSANDRA_TLS_CA_FILE',
    File,
    '',
    'PEM CA certificate(s) that signed the nodes’ certificates. Empty: Node’s built-in public CAs.',
    'cloud',
  ),
  cassandraTlsCertFile: setting(
    'CASSANDRA_TLS_CERT_FILE',
    File,
    '',
    'PEM client certificate (chain), for nodes that require one (require_client_auth); with CASSANDRA_TLS_KEY_FILE.',
    'cloud',
  ),
  cassandraTlsKeyFile: setting(
    'CASSANDRA_TLS_KEY_FILE',
    File,
    '',
    'PEM private key of CASSANDRA_TLS_CERT_FILE.',
    'cloud',
  ),
  cassandraTlsVerify: setting(
    'CASSANDRA_TLS_VERIFY',
    TlsVerify,
    'full',
    verifyDoc('the nodes’'),
    'cloud',
  ),
  cassandraUsername: setting(
    'CASSANDRA_USERNAME',
    Type.String(),
    '',
    'Role for Cassandra’s PasswordAuthenticator (the driver’s PlainTextAuthProvider). Empty: no authentication.',
    'cloud',
  ),
  cassandraPassword: setting(
    'CASSANDRA_PASSWORD',
    Type.String(),
    '',
    'Password of CASSANDRA_USERNAME; never logged.',
    'cloud',
    { secret: true },
  ),
  samplesTtlDays: setting(
    'SAMPLES_TTL_DAYS',
    Type.Integer({ minimum: 0, maximum: 3650 }),
    400,
    'Days a stored sample or event is kept, counted from its own time (0: forever).',
    'cloud',
  ),
} as const;
