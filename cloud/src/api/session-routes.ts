import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RecordsDb } from '@fleetline/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator, SessionTimes } from '../access/authenticator.js';
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from '../access/passwords.js';
import type { SignInLimits } from '../access/sign-in-limits.js';
import { SESSION_COOKIE, sessionId } from './access-control.js';
import { audited } from './audit.js';
import { expired, serialize } from './cookie.js';
import { ErrorBody } from './schemas.js';
import { SessionBody, sessionBody } from './session-body.js';

/**
 * Signing in and out, the session's holder, the holder's password. `POST /api/session` answers
 * the same 401 for an unknown login, a wrong password and a disabled account, and the same
 * 429 (with Retry-After) once a login or an address tried too often, whether or not the
 * login exists. A sign-in always starts a new session (a session id planted before sign-in
 * is never adopted) and ends the one the browser presented.
 */

const SignIn = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 128, description: 'username or mobile' }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);

const PasswordChange = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
    newPassword: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);

export interface SessionRoutesOptions {
  records: RecordsDb;
  authenticator: Authenticator;
  limits: SignInLimits;
  times: SessionTimes;
}

const WRONG = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'wrong login or password',
  code: 'SIGN_IN_FAILED',
};

export function sessionRoutes(o: SessionRoutesOptions) {
  const { records, authenticator } = o;

  /** Starts a session for the user, sets its cookie, answers it. */
  const startSession = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: Parameters<Authenticator['startSession']>[0],
  ) => {
    const session = await authenticator.startSession(user, request.ip);
    const grants = await records.grantsOf(user.id);
    reply.header('set-cookie', serialize(request, session.id, o.times.maxAgeMs));
    return sessionBody(user, grants, session.record.csrfToken);
  };

  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.post(
      '/api/session',
      {
        config: { access: { kind: 'public' } },
        schema: { body: SignIn, response: { 200: SessionBody, 401: ErrorBody, 429: ErrorBody } },
      },
      async (request, reply) => {
        const { login, password } = request.body;
        const retryAfter = o.limits.take(login, request.ip);
        if (retryAfter !== undefined) {
          return reply
            .code(429)
            .header('retry-after', String(retryAfter))
            .send({
              statusCode: 429,
              error: 'Too Many Requests',
              message: `too many sign-in attempts; try again in ${retryAfter} s`,
              code: 'SIGN_IN_LIMITED',
            });
        }
        const { user, account } = await authenticator.checkPassword(login, password);
        if (!user) {
          await records.appendAudit({
            ...(account ? { orgId: account.orgId } : {}),
            atMs: Date.now(),
            actor: login,
            action: 'session.signin-failed',
            address: request.ip,
            detail: {},
          });
          return reply.code(401).send(WRONG);
        }
        o.limits.succeeded(login, request.ip);
        // The session the browser came with, if any, ends: one browser, one session.
        const presented = sessionId(request);
        if (presented) await authenticator.endSessionById(presented);
        const body = await startSession(request, reply, user);
        await records.appendAudit({
          orgId: user.orgId,
          atMs: Date.now(),
          actor: `user:${user.id}`,
          action: 'session.signin',
          address: request.ip,
          detail: {},
        });
        return body;
      },
    );

    api.get(
      '/api/session',
      {
        config: { access: { kind: 'signed-in' } },
        schema: { response: { 200: SessionBody, 400: ErrorBody } },
      },
      async (request, reply) => {
        const { caller } = request.access;
        if (!caller.user || !caller.session) return reply.code(400).send(noSession);
        return sessionBody(caller.user, caller.grants, caller.session.csrfToken);
      },
    );

    api.delete(
      '/api/session',
      {
        config: { access: { kind: 'signed-in' } },
        schema: { response: { 204: Type.Null(), 400: ErrorBody } },
      },
      async (request, reply) => {
        const { caller } = request.access;
        if (!caller.session) return reply.code(400).send(noSession);
        await authenticator.endSession(caller.session);
        await audited(records, request, 'session.signout', caller.actor);
        return reply.code(204).header('set-cookie', expired(request)).send(null);
      },
    );

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

const noSession = {
  statusCode: 400,
  error: 'Bad Request',
  message: `only a signed-in person has a session (the ${SESSION_COOKIE} cookie); an API token is revoked, not signed out`,
};
