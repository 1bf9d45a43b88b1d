import type { AuditLog, ServiceTable } from '@fleetline/platform';
import { encodeServiceUpdate, InvalidMessageError, type ServiceUpdate } from '@fleetline/proto';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { badRequest } from './schemas.js';

/**
 * What the maintenance routes share (service-plan-routes.ts, service-routes.ts): each change
 * is checked against the wire, stored, then passed on through publishServiceUpdate (to
 * `service.v1`) so the vehicle's maintenance state follows it.
 */

export interface ServiceRoutesOptions {
  telemetryDb: ServiceTable;
  /** Where plan changes and recorded services are written down (who, when, what). */
  audit: AuditLog;
  /**
   * Passes a stored change on to the processor. Absent: plans and services are still stored
   * and answered, and nothing else learns of them.
   */
  publishServiceUpdate?: ((update: ServiceUpdate) => Promise<void>) | undefined;
}

/**
 * Publishes a stored change; false (and a 503 sent) when that fails. Repeating the request
 * is safe: the telemetry database writes are idempotent and the update is published again. A
 * service is the same service only by its id, so the 503 names the id to repeat it with.
 */
export async function published(
  o: ServiceRoutesOptions,
  update: ServiceUpdate,
  reply: FastifyReply,
  log: FastifyBaseLogger,
): Promise<boolean> {
  if (!o.publishServiceUpdate) return true;
  try {
    await o.publishServiceUpdate(update);
    return true;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'service update stored but not published');
    const serviceId =
      update.change.kind === 'serviced' ? update.change.serviced.serviceId : undefined;
    await reply.code(503).send({
      statusCode: 503,
      error: 'Service Unavailable',
      message:
        `stored, but not passed on to the vehicle's maintenance yet: ${(err as Error).message}; ` +
        (serviceId === undefined
          ? 'repeat the request'
          : `repeat the request with "serviceId": ${JSON.stringify(serviceId)}`),
      ...(serviceId === undefined ? {} : { serviceId }),
    });
    return false;
  }
}

/**
 * Whether the change can go on the wire, checked before anything is stored: a change the
 * wire refuses would be stored and then fail to publish at every repeat. False (and a 400
 * sent) when it cannot.
 */
export async function wireAccepts(update: ServiceUpdate, reply: FastifyReply): Promise<boolean> {
  try {
    encodeServiceUpdate(update);
    return true;
  } catch (err) {
    if (!(err instanceof InvalidMessageError)) throw err;
    await reply.code(400).send(badRequest(`body: ${err.message}`));
    return false;
  }
}
