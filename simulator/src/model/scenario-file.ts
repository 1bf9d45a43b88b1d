import Type, { type TSchema } from 'typebox';
import Value from 'typebox/value';
import { builtInRoutes, type Route } from './route.js';
import type { Scenario } from './scenario.js';

/**
 * Scenarios as users write them: a JSON object checked against a schema, every problem
 * reported with its place (`/events/2/direction: …`), and the built-in scenarios by name.
 */

export class ScenarioError extends Error {
  readonly code = 'SIM_SCENARIO_INVALID';
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

const Ms = Type.Integer({ minimum: 0, maximum: 7 * 86_400_000 });
const Degrees = (limit: number) => Type.Number({ minimum: -limit, maximum: limit });

// One schema per kind: checked against the event's own kind, so a problem is reported for
// that kind rather than for every kind it is not.
const eventSchemas = [
  Type.Object(
    {
      kind: Type.Literal('dtc'),
      atMs: Ms,
      code: Type.String({ pattern: '^[PCBU][0-3][0-9A-F]{3}$' }),
      clearAtMs: Type.Optional(Ms),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('fanFailure'), atMs: Ms, repairedAtMs: Type.Optional(Ms) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('crash'),
      atMs: Ms,
      direction: Type.Union(['front', 'rear', 'left', 'right'].map((d) => Type.Literal(d))),
      deltaVKmh: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 150 })),
      durationMs: Type.Optional(Type.Integer({ minimum: 20, maximum: 500 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('pothole'),
      atMs: Ms,
      peakG: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 15 })),
      durationMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 500 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('hardBraking'),
      atMs: Ms,
      g: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1.5 })),
      durationMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 30_000 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('gnssOutage'), atMs: Ms, durationMs: Type.Integer({ minimum: 1 }) },
    { additionalProperties: false },
  ),
];
const eventKinds = ['dtc', 'fanFailure', 'crash', 'pothole', 'hardBraking', 'gnssOutage'] as const;
const EventKind = Type.Object({ kind: Type.Union(eventKinds.map((k) => Type.Literal(k))) });

const RouteSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    points: Type.Array(Type.Tuple([Degrees(90), Degrees(180)]), { minItems: 2 }),
    closed: Type.Boolean(),
  },
  { additionalProperties: false },
);

const ScenarioSchema = Type.Object(
  {
    seed: Type.Optional(Type.Integer()),
    deviceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    route: Type.Optional(Type.Union([Type.String(), RouteSchema])),
    profile: Type.Optional(
      Type.Union(['city', 'highway', 'stopAndGo'].map((p) => Type.Literal(p))),
    ),
    engineStartMs: Type.Optional(Ms),
    ambientC: Type.Optional(Type.Number({ minimum: -40, maximum: 55 })),
    coolantC: Type.Optional(Type.Number({ minimum: -40, maximum: 130 })),
    odometerKm: Type.Optional(Type.Number({ minimum: 0, maximum: 2_000_000 })),
    fuelPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    battery: Type.Optional(Type.Union([Type.Literal('healthy'), Type.Literal('weak')])),
    serviceIntervalKm: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    serviceDueInKm: Type.Optional(Type.Number({ minimum: 0 })),
    dtcPollMs: Type.Optional(Type.Integer({ minimum: 1000 })),
    fullRateAcceleration: Type.Optional(Type.Boolean()),
    events: Type.Optional(Type.Array(EventKind)),
  },
  { additionalProperties: false },
);

function problemsOf(raw: unknown): string[] {
  const problems = schemaProblems(ScenarioSchema, raw, '');
  if (problems.length > 0) return problems;
  const events = (raw as { events?: { kind: (typeof eventKinds)[number] }[] }).events ?? [];
  events.forEach((e, i) => {
    const schema = eventSchemas[eventKinds.indexOf(e.kind)] as (typeof eventSchemas)[number];
    problems.push(...schemaProblems(schema, e, `/events/${i}`));
  });
  return problems;
}

function schemaProblems(schema: TSchema, raw: unknown, prefix: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, raw)) {
    const params = e.params as { additionalProperties?: string[]; requiredProperties?: string[] };
    const at = `${prefix}${e.instancePath}` || '/';
    if (e.keyword === 'additionalProperties' && params.additionalProperties) {
      for (const key of params.additionalProperties)
        problems.push(`${at}/${key}: is not a scenario setting`);
    } else if (e.keyword === 'boolean') {
      // How an additional property shows up: its own schema is `false`.
      problems.push(`${at}: is not a scenario setting`);
    } else if (e.keyword === 'required' && params.requiredProperties) {
      for (const key of params.requiredProperties) problems.push(`${at}/${key}: is required`);
    } else if (!seen.has(at)) {
      // A union reports every branch; the first complaint per place is the useful one.
      seen.add(at);
      problems.push(`${at}: ${e.message}`);
    }
  }
  return problems;
}

/**
 * Checks a parsed scenario file. `route` may name a built-in route (`city-loop`,
 * `highway-leg`). The seed given here applies when the file has none.
 */
export function parseScenario(raw: unknown, defaults: { seed: number }): Scenario {
  const problems = problemsOf(raw);
  if (problems.length > 0) {
    throw new ScenarioError(`the scenario is not valid:\n  ${problems.join('\n  ')}`, problems);
  }
  const {
    route: given,
    seed,
    ...rest
  } = raw as Omit<Scenario, 'route' | 'seed'> & {
    seed?: number;
    route?: string | Route;
  };
  let route: Route | undefined;
  if (typeof given === 'string') {
    route = builtInRoutes.find((r) => r.name === given);
    if (!route) {
      const known = builtInRoutes.map((r) => r.name).join(', ');
      throw new ScenarioError(`/route: no built-in route "${given}" (known: ${known})`, [
        `/route: no built-in route "${given}"`,
      ]);
    }
  } else route = given;
  return { ...rest, seed: seed ?? defaults.seed, ...(route ? { route } : {}) };
}

/**
 * Scenarios by name, for a demo or a test rig: each starts driving at once (engine at 1 s) and
 * has its event within the first minute.
 */
export const builtInScenarios: Readonly<Record<string, Omit<Scenario, 'seed'>>> = {
  city: { profile: 'city', engineStartMs: 1000 },
  highway: { profile: 'highway', engineStartMs: 1000 },
  'stop-and-go': { profile: 'stopAndGo', engineStartMs: 1000 },
  'crash-front': {
    engineStartMs: 1000,
    events: [{ kind: 'crash', atMs: 30_000, direction: 'front' }],
  },
  'crash-rear': {
    engineStartMs: 1000,
    events: [{ kind: 'crash', atMs: 30_000, direction: 'rear' }],
  },
  'crash-left': {
    engineStartMs: 1000,
    events: [{ kind: 'crash', atMs: 30_000, direction: 'left' }],
  },
  'crash-right': {
    engineStartMs: 1000,
    events: [{ kind: 'crash', atMs: 30_000, direction: 'right' }],
  },
  'rough-road': {
    engineStartMs: 1000,
    events: [
      { kind: 'pothole', atMs: 20_000 },
      { kind: 'pothole', atMs: 35_000, peakG: 5, durationMs: 60 },
      { kind: 'hardBraking', atMs: 45_000 },
    ],
  },
  overheat: { engineStartMs: 1000, coolantC: 88, events: [{ kind: 'fanFailure', atMs: 10_000 }] },
  'weak-battery': { engineStartMs: 5000, battery: 'weak' },
  dtc: {
    engineStartMs: 1000,
    dtcPollMs: 10_000,
    events: [{ kind: 'dtc', atMs: 20_000, code: 'P0128', clearAtMs: 120_000 }],
  },
  tunnel: {
    engineStartMs: 1000,
    events: [{ kind: 'gnssOutage', atMs: 30_000, durationMs: 20_000 }],
  },
  'maintenance-due': { engineStartMs: 1000, profile: 'highway', serviceDueInKm: 2 },
};
