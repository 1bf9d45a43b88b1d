import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from '../access/passwords.js';
import { audited } from './audit.js';
import { ErrorBody } from './schemas.js';
import { SessionBody } from './session-body.js';
import { noSession, type SessionStartOptions, sessionStarter } from './session-start.js';

/**
 * `POST /api/account/password`: a signed-in person changes their password (the way out of a
 * one-time password too). Every session of the person ends — a stolen one included — and
 * this browser gets a new one.
 */

const PasswordChange = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
    newPassword: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);

export function passwordRoutes(o: SessionStartOptions) {
  const { records } = o;
  const startSession = sessionStarter(o);
  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.post(
      '/api/account/password',
      {
        config: { access: { kind: 'signed-in' } },
        schema: {
          body: PasswordChange,
          response: { 200: SessionBody, 400: ErrorBody, 403: ErrorBody },
        },
      },
      async (request, reply) => {
        const { caller } = request.access;
        const user = caller.user;
        if (!user || !caller.session) return reply.code(400).send(noSession);
        const { currentPassword, newPassword } = request.body;
        const stored = await records.findUserByLogin(user.username ?? user.mobile ?? '');
        if (!stored || !(await verifyPassword(stored.passwordHash, currentPassword))) {
          return reply.code(403).send({
            statusCode: 403,
            error: 'Forbidden',
            message: 'body/currentPassword is wrong',
            code: 'PASSWORD_WRONG',
          });
        }
        if (newPassword === currentPassword) {
          return reply.code(400).send({
            statusCode: 400,
            error: 'Bad Request',
            message: 'body/newPassword must differ from the current one',
          });
        }
        await records.setPassword(user.id, await hashPassword(newPassword), false);
        // Every session of the person ends — a stolen one included — and this browser gets a
        // new one.
        await records.deleteUserSessions(user.id);
        await audited(records, request, 'account.password', caller.actor);
        return startSession(request, reply, { ...user, mustChangePassword: false });
      },
    );
  };
}
