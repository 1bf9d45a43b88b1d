import type { FastifyInstance } from 'fastify';

/**
 * `GET /healthz`: the process answers (open to anyone: load balancers ask it). The metrics
 * are not on this listener: they are served on the operations port (CLOUD_OPS_PORT).
 */
export function healthRoutes() {
  return async (app: FastifyInstance) => {
    app.get('/healthz', { config: { access: { kind: 'public' } } }, async () => ({ status: 'ok' }));
  };
}
