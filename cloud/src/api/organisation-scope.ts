import type { Permission } from '@fleetline/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { organisationsFor } from '../access/scope.js';

/**
 * The caller's organisation when the caller holds the permission organisation-wide there
 * (people, tokens and the audit trail are the organisation's, not a store's); else a 403 is
 * sent and undefined returned.
 */
export function ownOrganisation(
  request: FastifyRequest,
  reply: FastifyReply,
  permission: Permission,
): string | undefined {
  const { caller } = request.access;
  if (organisationsFor(caller.grants, permission).includes(caller.orgId)) return caller.orgId;
  void reply.code(403).send({
    statusCode: 403,
    error: 'Forbidden',
    message: `${permission} needs an organisation-wide role`,
    code: 'FORBIDDEN',
  });
  return undefined;
}
