import {
  getOrCreateCounter,
  type Registry,
  StoreBusyError,
  StoreClosedError,
  StoreUnavailableError,
} from '@fleetline/platform';
import type { FastifyError } from 'fastify';
import type { HttpServer } from './http-server.js';

/**
 * How the API answers errors, installed on the root instance before the routes: every error,
 * 404 included, as JSON `{ statusCode, error, message, code? }`. A telemetry database outage
 * answers 503; a telemetry database too busy for another expensive read answers 503 with
 * Retry-After; a 500 says only "internal error": what failed inside is logged, never sent.
 */
export function errorReplies(app: HttpServer, metrics: Registry): void {
  const storeBusy = getOrCreateCounter(metrics, {
    name: 'fleetline_api_store_busy_total',
    help: 'Requests answered 503 because the store had too many expensive reads waiting (STORE_BUSY), by route',
    labelNames: ['route'],
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof StoreBusyError) {
      // Too many expensive reads at once: this one was not started (RFC 9110 §10.2.3).
      // Counted, not logged: a flood of reads would otherwise be a flood of log lines.
      storeBusy.inc({ route: request.routeOptions.url ?? 'unknown' });
      return reply.code(503).header('retry-after', String(err.retryAfterSeconds)).send({
        statusCode: 503,
        error: 'Service Unavailable',
        message: err.message,
        code: err.code,
      });
    }
    if (err instanceof StoreUnavailableError || err instanceof StoreClosedError) {
      request.log.warn({ err: err.message }, 'store unavailable');
      return reply.code(503).send({
        statusCode: 503,
        error: 'Service Unavailable',
        message: err.message,
        code: err.code,
      });
    }
    const status =
      err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) {
      // What failed inside (a driver's code, a constraint, a stack) is for the log only.
      request.log.error({ err }, 'request failed');
      return reply.code(500).send({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'internal error',
      });
    }
    return reply.code(status).send({
      statusCode: status,
      error: httpError(status),
      message: err.message,
      ...(err.code ? { code: err.code } : {}),
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}

function httpError(status: number): string {
  return (
    {
      400: 'Bad Request',
      404: 'Not Found',
      405: 'Method Not Allowed',
      408: 'Request Timeout',
      413: 'Payload Too Large',
      415: 'Unsupported Media Type',
      429: 'Too Many Requests',
    }[status] ?? 'Client Error'
  );
}
