import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RecordsDb } from '@fleetline/platform';
import type { FastifyInstance } from 'fastify';
import { generatePassword, hashPassword } from '../access/passwords.js';
import { audited } from './audit.js';
import { ownOrganisation } from './organisation-scope.js';
import { ErrorBody } from './schemas.js';
import { GrantBody, UserBody, userBody } from './session-body.js';

/**
 * The organisation's people, for its admins: the list with each person's roles, and a
 * password reset — a one-time password shown once, every session of the person ended, a new
 * password required at the next sign-in. (Adding people and roles: `fleetline users`.)
 */

const notFound = (id: string) => ({
  statusCode: 404,
  error: 'Not Found',
  message: `no user ${JSON.stringify(id)} in your organisation`,
});

export function userRoutes(records: RecordsDb) {
  const access = { kind: 'scoped', permission: 'users.manage' } as const;
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.get(
      '/api/users',
      {
        config: { access },
        schema: {
          response: {
            200: Type.Array(Type.Object({ ...UserBody.properties, grants: Type.Array(GrantBody) })),
            403: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const orgId = ownOrganisation(request, reply, 'users.manage');
        if (!orgId) return reply;
        const users = await records.listUsers(orgId);
        return Promise.all(
          users.map(async (u) => ({ ...userBody(u), grants: await records.grantsOf(u.id) })),
        );
      },
    );

    api.post(
      '/api/users/:userId/reset-password',
      {
        config: { access },
        schema: {
          params: Type.Object({ userId: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: {
            200: Type.Object({ userId: Type.String(), password: Type.String() }),
            403: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const orgId = ownOrganisation(request, reply, 'users.manage');
        if (!orgId) return reply;
        const { userId } = request.params;
        const user = await records.getUser(userId);
        if (user?.orgId !== orgId) return reply.code(404).send(notFound(userId));
        const password = generatePassword();
        await records.setPassword(userId, await hashPassword(password), true);
        await records.deleteUserSessions(userId);
        await audited(records, request, 'user.reset-password', `user:${userId}`);
        return { userId, password };
      },
    );
  };
}
