import type { Registry } from '@fleetline/platform';
import type { FastifyInstance } from 'fastify';

/** For operators: `GET /healthz` (the process answers) and `GET /metrics` (Prometheus text). */
export function opsRoutes(metrics: Registry) {
  return async (app: FastifyInstance) => {
    app.get('/healthz', async () => ({ status: 'ok' }));

    app.get('/metrics', async (_request, reply) => {
      reply.header('content-type', metrics.contentType);
      return metrics.metrics();
    });
  };
}
