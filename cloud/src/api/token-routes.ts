import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  type ApiTokenRecord,
  type RecordsDb,
  type Role,
  roleInfo,
  roleNames,
} from '@fleetline/platform';
import type { FastifyInstance } from 'fastify';
import { issueApiToken } from '../access/api-tokens.js';
import { audited } from './audit.js';
import { ownOrganisation } from './organisation-scope.js';
import { badRequest, ErrorBody } from './schemas.js';
import { isoTime as iso } from './time.js';

/**
 * API tokens for integrations (`Authorization: Bearer flt_…`): created by an organisation
 * admin for a role, organisation-wide or in one store, with an expiry. The token is shown
 * once, in the answer that creates it, and kept only as its hash. Revoking takes effect at
 * its next request.
 */

const DAY_MS = 86_400_000;

const NewToken = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    role: Type.Union(roleNames.map((r) => Type.Literal(r))),
    storeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 731, description: 'default 90' })),
  },
  { additionalProperties: false },
);

const TokenBody = Type.Object({
  tokenId: Type.String(),
  name: Type.String(),
  role: Type.String(),
  storeId: Type.Optional(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Optional(Type.String({ format: 'date-time' })),
});

const tokenBody = (t: ApiTokenRecord) => ({
  tokenId: t.id,
  name: t.name,
  role: t.role,
  ...(t.storeId === undefined ? {} : { storeId: t.storeId }),
  createdAt: iso(t.createdMs),
  createdBy: t.createdBy,
  expiresAt: iso(t.expiresMs),
  ...(t.revokedMs === undefined ? {} : { revokedAt: iso(t.revokedMs) }),
});

const notFound = (id: string) => ({
  statusCode: 404,
  error: 'Not Found',
  message: `no token ${JSON.stringify(id)}`,
});

/** What is wrong with a new token's store, if anything: its role or its organisation. */
async function storeProblem(
  records: RecordsDb,
  orgId: string,
  b: { role: Role; storeId?: string | undefined },
): Promise<string | undefined> {
  if (b.storeId === undefined) return undefined;
  if (!roleInfo(b.role)?.scopes.includes('store')) {
    return `body/storeId: the role ${b.role} is not granted per store`;
  }
  if ((await records.getStore(b.storeId))?.orgId !== orgId) {
    return 'body/storeId names no store of your organisation';
  }
  return undefined;
}

export function tokenRoutes(records: RecordsDb) {
  const access = { kind: 'scoped', permission: 'tokens.manage' } as const;
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.post(
      '/api/tokens',
      {
        config: { access },
        schema: {
          body: NewToken,
          response: {
            201: Type.Object({ ...TokenBody.properties, token: Type.String() }),
            400: ErrorBody,
            403: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const orgId = ownOrganisation(request, reply, 'tokens.manage');
        if (!orgId) return reply;
        const b = request.body;
        const wrongStore = await storeProblem(records, orgId, b);
        if (wrongStore) return reply.code(400).send(badRequest(wrongStore));
        const { token, record } = await issueApiToken(records, {
          name: b.name,
          orgId,
          ...(b.storeId === undefined ? {} : { storeId: b.storeId }),
          role: b.role,
          createdBy: request.access.caller.actor,
          expiresMs: Date.now() + (b.days ?? 90) * DAY_MS,
        });
        await audited(records, request, 'token.create', `token:${record.id}`, { role: b.role });
        return reply.code(201).send({ ...tokenBody(record), token });
      },
    );

    api.get(
      '/api/tokens',
      { config: { access }, schema: { response: { 200: Type.Array(TokenBody), 403: ErrorBody } } },
      async (request, reply) => {
        const orgId = ownOrganisation(request, reply, 'tokens.manage');
        if (!orgId) return reply;
        return (await records.listTokens(orgId)).map(tokenBody);
      },
    );

    api.delete(
      '/api/tokens/:tokenId',
      {
        config: { access },
        schema: {
          params: Type.Object({ tokenId: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: TokenBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const orgId = ownOrganisation(request, reply, 'tokens.manage');
        if (!orgId) return reply;
        const { tokenId } = request.params;
        const mine = (await records.listTokens(orgId)).some((t) => t.id === tokenId);
        if (!mine) return reply.code(404).send(notFound(tokenId));
        const revoked = await records.revokeToken(tokenId, Date.now());
        if (!revoked) return reply.code(404).send(notFound(tokenId));
        await audited(records, request, 'token.revoke', `token:${tokenId}`);
        return tokenBody(revoked);
      },
    );
  };
}
