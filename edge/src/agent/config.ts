import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEVICE_ID_PATTERN, signalByName, TEXT_LIMITS } from '@fleetline/proto';
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import {
  canSourceConfigSchema,
  canSourceType,
  resolveCanSourceFiles,
  transmittingCanSourceTypes,
} from '../can/source-registry.js';
import { EdgeConfigError } from '../errors.js';
import { pidsByName } from '../obd/pids.js';
import { unitTransformNames } from '../signals/units.js';

/**
 * The agent's configuration file (JSON), validated as a whole against one schema at start-up;
 * every problem is reported with its JSON path and what is expected. Relative file paths in
 * the file are resolved against the file's folder.
 */

const Path = Type.String({ minLength: 1 });
const Ms = (min: number, max: number) => Type.Integer({ minimum: min, maximum: max });

const SerialInput = Type.Union([
  Type.Object(
    { path: Path, baudRate: Type.Optional(Type.Integer({ minimum: 1200 })) },
    { additionalProperties: false },
  ),
  Type.Object(
    { replay: Path, realtime: Type.Optional(Type.Boolean()) },
    { additionalProperties: false },
  ),
]);

const Policy = Type.Union([
  Type.Object(
    { kind: Type.Literal('period'), periodMs: Ms(1, 86_400_000) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('change'),
      deadband: Type.Number({ minimum: 0 }),
      minIntervalMs: Type.Optional(Ms(0, 86_400_000)),
      heartbeatMs: Type.Optional(Ms(1, 86_400_000)),
    },
    { additionalProperties: false },
  ),
]);

export const AgentConfigSchema = Type.Object(
  {
    deviceId: Type.String({ pattern: DEVICE_ID_PATTERN }),
    logLevel: Type.Optional(
      Type.Union(
        ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      ),
    ),
    uplink: Type.Object(
      {
        url: Type.String({ pattern: '^(mqtts?|wss?)://' }),
        username: Type.Optional(Type.String()),
        password: Type.Optional(Type.String()),
        /** PEM files for TLS: CA to trust, and the device's certificate/key for mTLS. */
        caFile: Type.Optional(Path),
        certFile: Type.Optional(Path),
        keyFile: Type.Optional(Path),
        batchIntervalMs: Type.Optional(Ms(100, 3_600_000)),
        maxBatchBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 128 * 1024 })),
        window: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      },
      { additionalProperties: false },
    ),
    spool: Type.Object(
      {
        dir: Path,
        maxBytes: Type.Optional(Type.Integer({ minimum: 64 * 1024 })),
      },
      { additionalProperties: false },
    ),
    can: Type.Optional(
      Type.Object(
        { source: canSourceConfigSchema(Type), dbc: Type.Optional(Path) },
        { additionalProperties: false },
      ),
    ),
    obd: Type.Optional(
      Type.Object(
        {
          pids: Type.Array(Type.String(), { minItems: 1 }),
          intervalMs: Type.Optional(Ms(100, 3_600_000)),
          dtcIntervalMs: Type.Optional(Ms(0, 86_400_000)),
        },
        { additionalProperties: false },
      ),
    ),
    gnss: Type.Optional(SerialInput),
    imu: Type.Optional(SerialInput),
    signals: Type.Array(
      Type.Object(
        {
          from: Type.String({ minLength: 1 }),
          to: Type.String({ minLength: 1 }),
          transform: Type.Optional(Type.Union(unitTransformNames.map((n) => Type.Literal(n)))),
          scale: Type.Optional(Type.Number()),
          offset: Type.Optional(Type.Number()),
        },
        { additionalProperties: false },
      ),
    ),
    collection: Type.Optional(
      Type.Object(
        {
          default: Type.Optional(Policy),
          signals: Type.Optional(Type.Record(Type.String(), Policy)),
        },
        { additionalProperties: false },
      ),
    ),
    triggers: Type.Optional(
      Type.Array(
        Type.Object(
          {
            // The wire's limit: a longer name could not be sent (TriggerCapture.name).
            name: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.triggerName }),
            when: Type.String({ minLength: 1 }),
            minIntervalMs: Type.Optional(Ms(0, 86_400_000)),
            preMs: Type.Optional(Ms(0, 600_000)),
            postMs: Type.Optional(Ms(0, 600_000)),
            signals: Type.Optional(Type.Array(Type.String())),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    crash: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          deltaVKmh: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          windowMs: Type.Optional(Ms(10, 1000)),
          minorG: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          severeG: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          minSpeedKmh: Type.Optional(Type.Number({ minimum: 0 })),
          preMs: Type.Optional(Ms(0, 60_000)),
          postMs: Type.Optional(Ms(0, 60_000)),
        },
        { additionalProperties: false },
      ),
    ),
    metrics: Type.Optional(
      Type.Object(
        { host: Type.Optional(Type.String()), port: Type.Integer({ minimum: 0, maximum: 65535 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type AgentConfig = Static<typeof AgentConfigSchema>;

/** Validates a parsed config; relative paths are resolved against baseDir. */
export function validateAgentConfig(raw: unknown, baseDir: string): AgentConfig {
  const problems = schemaProblems(raw);
  if (problems.length === 0) {
    const c = raw as AgentConfig;
    c.signals.forEach((m, i) => {
      if (!signalByName(m.to))
        problems.push(`/signals/${i}/to: ${m.to} is not a catalogue (VSS) signal`);
    });
    for (const name of Object.keys(c.collection?.signals ?? {})) {
      if (!signalByName(name))
        problems.push(`/collection/signals/${name}: not a catalogue (VSS) signal`);
    }
    c.obd?.pids.forEach((p, i) => {
      if (!pidsByName.has(p))
        problems.push(
          `/obd/pids/${i}: unknown PID name "${p}" (known: ${[...pidsByName.keys()].join(', ')})`,
        );
    });
    if (c.obd && !c.can) problems.push('/obd: OBD-II polling needs a CAN source (/can)');
    if (c.can && c.obd && !canSourceType(c.can.source.type).transmits) {
      const transmitting = transmittingCanSourceTypes().join(' or ');
      problems.push(`/obd: OBD-II polling needs a CAN source that can transmit (${transmitting})`);
    }
  }
  if (problems.length > 0) {
    throw new EdgeConfigError(`invalid agent config:\n  ${problems.join('\n  ')}`, problems);
  }
  const c = structuredClone(raw) as AgentConfig;
  const abs = (p: string) => resolve(baseDir, p);
  c.spool.dir = abs(c.spool.dir);
  if (c.uplink.caFile) c.uplink.caFile = abs(c.uplink.caFile);
  if (c.uplink.certFile) c.uplink.certFile = abs(c.uplink.certFile);
  if (c.uplink.keyFile) c.uplink.keyFile = abs(c.uplink.keyFile);
  if (c.can?.dbc) c.can.dbc = abs(c.can.dbc);
  if (c.can) c.can.source = resolveCanSourceFiles(c.can.source, abs);
  for (const input of [c.gnss, c.imu]) {
    if (input && 'path' in input) input.path = abs(input.path);
    if (input && 'replay' in input) input.replay = abs(input.replay);
  }
  return Object.freeze(c);
}

/** The schema's complaints as `/json/path: what is wrong`, one per place. */
function schemaProblems(raw: unknown): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (at: string, message: string) => {
    if (seen.has(at)) return;
    seen.add(at);
    problems.push(`${at}: ${message}`);
  };
  for (const e of Value.Errors(AgentConfigSchema, raw)) {
    const params = e.params as { requiredProperties?: string[]; additionalProperties?: string[] };
    if (e.keyword === 'required' && params.requiredProperties) {
      for (const key of params.requiredProperties) add(`${e.instancePath}/${key}`, 'is required');
    } else if (e.keyword === 'additionalProperties' && params.additionalProperties) {
      for (const key of params.additionalProperties)
        add(`${e.instancePath}/${key}`, 'is not a known setting');
    } else if (e.keyword === 'boolean') {
      add(e.instancePath, 'is not a known setting');
    } else {
      // A union reports every branch; the first complaint per place is the useful one.
      add(e.instancePath || '/', e.message);
    }
  }
  return problems;
}

/** Reads and validates the config file. */
export function loadAgentConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EdgeConfigError(`cannot read config ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new EdgeConfigError(`config ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return validateAgentConfig(raw, dirname(resolve(file)));
}
