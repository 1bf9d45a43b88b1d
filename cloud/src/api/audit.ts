import type { AuditLog } from '@fleetline/platform';
import type { FastifyRequest } from 'fastify';

/**
 * Appends what a signed-in caller did to the audit trail: who (from the request's access),
 * when, from which address, what and to what.
 */
export function audited(
  log: AuditLog,
  request: FastifyRequest,
  action: string,
  target: string,
  detail: Record<string, string | number | boolean> = {},
): Promise<void> {
  const { caller } = request.access;
  return log.appendAudit({
    orgId: caller.orgId,
    atMs: Date.now(),
    actor: caller.actor,
    action,
    target,
    address: request.ip,
    detail,
  });
}
