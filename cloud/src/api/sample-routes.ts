import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { SampleTable, StoredSample } from '@fleetline/platform';
import { signalByName } from '@fleetline/proto';
import type { FastifyInstance } from 'fastify';
import { bucketWidthMs, Downsampler } from './downsample.js';
import { jsonArrayStream } from './json-array-stream.js';
import { badRequest, DeviceParams, ErrorBody } from './schemas.js';
import { isoTime as iso, timeRange } from './time.js';

/** The samples of one signal of a vehicle over time: raw, or downsampled for charts. */

const MAX_LIMIT = 100_000;
/**
 * Raw samples are read from the telemetry database in pages of this many (by time: from = last +
 * 1).
 */
const PAGE = 10_000;
/**
 * A downsampled answer reads at most this many raw samples (100 pages; 11.5 days of one
 * signal at 1 Hz), so one request cannot hold the database, or memory, for long. A range that
 * holds more answers 400: narrow it.
 */
export const MAX_DOWNSAMPLE_READ = 1_000_000;

const SamplePoint = Type.Object({
  t: Type.String(),
  v: Type.Number(),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  n: Type.Optional(Type.Integer()),
});

const SamplesQuery = Type.Object(
  {
    signal: Type.String({ minLength: 1, description: 'VSS name, e.g. Vehicle.Speed' }),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT })),
    maxPoints: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description: 'downsample to at most this many buckets of equal width',
      }),
    ),
  },
  { additionalProperties: false },
);

type Downsampled = { raw: StoredSample[] } | { buckets: ReturnType<Downsampler['buckets']> };
type RangeQuery = { deviceId: string; signalId: number; fromMs: number; toMs: number };

/**
 * The samples of [fromMs, toMs): the raw samples while there are at most maxPoints, else
 * maxPoints buckets at most; undefined when the range holds more than MAX_DOWNSAMPLE_READ
 * samples. A telemetry database that summarises buckets where the data is does so (the samples
 * never leave it); otherwise the samples are read page by page and summarised here.
 */
async function readDownsampled(
  telemetryDb: SampleTable,
  q: RangeQuery,
  maxPoints: number,
): Promise<Downsampled | undefined> {
  if (!telemetryDb.bucketSamples) return readDownsampledInPages(telemetryDb, q, maxPoints);
  const widthMs = bucketWidthMs({ ...q, maxPoints });
  const buckets = await telemetryDb.bucketSamples({
    ...q,
    widthMs,
    maxSamples: MAX_DOWNSAMPLE_READ,
  });
  if (!buckets) return undefined;
  if (buckets.reduce((n, b) => n + b.count, 0) <= maxPoints) {
    return { raw: await telemetryDb.querySamples({ ...q, limit: maxPoints }) };
  }
  return {
    buckets: buckets.map((b) => ({ t: b.startMs, v: b.mean, min: b.min, max: b.max, n: b.count })),
  };
}

async function readDownsampledInPages(
  telemetryDb: SampleTable,
  q: RangeQuery,
  maxPoints: number,
): Promise<Downsampled | undefined> {
  const sampler = new Downsampler({ fromMs: q.fromMs, toMs: q.toMs, maxPoints });
  let raw: StoredSample[] | undefined = [];
  let read = 0;
  let fromMs = q.fromMs;
  for (;;) {
    const page = await telemetryDb.querySamples({ ...q, fromMs, limit: PAGE });
    read += page.length;
    if (read > MAX_DOWNSAMPLE_READ) return undefined;
    sampler.add(page);
    if (raw && read <= maxPoints) for (const s of page) raw.push(s);
    else raw = undefined;
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) break;
    // One sample per (device, signal, ms): the next page starts just after this one.
    fromMs = last.timeMs + 1;
    if (fromMs >= q.toMs) break;
  }
  return raw ? { raw } : { buckets: sampler.buckets() };
}

export function sampleRoutes(telemetryDb: SampleTable, limits: { maxRangeDays: number }) {
  return async (app: FastifyInstance) => {
    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/api/vehicles/:deviceId/samples',
      {
        config: { access: { kind: 'vehicle', permission: 'telemetry.read' } },
        schema: {
          params: DeviceParams,
          querystring: SamplesQuery,
          response: { 200: Type.Array(SamplePoint), 400: ErrorBody, 503: ErrorBody },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const signal = signalByName(q.signal);
        if (!signal) {
          return reply
            .code(400)
            .send(
              badRequest(
                `unknown signal ${JSON.stringify(q.signal)}; GET /api/signals lists the known ones`,
              ),
            );
        }
        const range = timeRange(q, { spanMs: 3600_000, toMs: Date.now() }, limits.maxRangeDays);
        if (typeof range === 'string') return reply.code(400).send(badRequest(range));
        const query = { deviceId: request.params.deviceId, signalId: signal.id, ...range };
        if (q.maxPoints === undefined) {
          const samples = await telemetryDb.querySamples({ ...query, limit: q.limit ?? 10_000 });
          // Up to MAX_LIMIT samples: written in slices, not in one turn of the event loop.
          // A stream is sent as it is (the 200 schema describes its JSON; it is not run).
          const body = jsonArrayStream(samples, (s) => ({ t: iso(s.timeMs), v: s.value }));
          return reply.type('application/json; charset=utf-8').send(body as never);
        }
        if (q.limit !== undefined) {
          return reply
            .code(400)
            .send(badRequest('limit and maxPoints exclude each other: give one of them'));
        }
        const result = await readDownsampled(telemetryDb, query, q.maxPoints);
        if (!result) {
          return reply
            .code(400)
            .send(
              badRequest(
                `from/to: the range holds more than ${MAX_DOWNSAMPLE_READ} samples of ${signal.name} to downsample; narrow it`,
              ),
            );
        }
        if ('raw' in result) return result.raw.map((s) => ({ t: iso(s.timeMs), v: s.value }));
        return result.buckets.map((b) => ({ ...b, t: iso(b.t) }));
      },
    );
  };
}
