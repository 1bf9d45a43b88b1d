import { type Static, Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_PASSWORD_LENGTH } from '../access/passwords.js';
import type { SignInLimits } from '../access/sign-in-limits.js';
import { sessionId } from './access-control.js';
import { audited } from './audit.js';
import { expired } from './cookie.js';
import { ErrorBody } from './schemas.js';
import { SessionBody, sessionBody } from './session-body.js';
import { noSession, type SessionStartOptions, sessionStarter } from './session-start.js';

/**
 * Signing in and out, and the session's holder (a password change: password-routes.ts). `POST /api/session` answers
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

export interface SessionRoutesOptions extends SessionStartOptions {
  limits: SignInLimits;
}

const WRONG = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'wrong login or password',
  code: 'SIGN_IN_FAILED',
};

/** `POST /api/session`: limits, checks, starts a session, writes the audit trail. */
function signIn(o: SessionRoutesOptions) {
  const { records, authenticator } = o;
  const startSession = sessionStarter(o);
  return async (request: FastifyRequest<{ Body: Static<typeof SignIn> }>, reply: FastifyReply) => {
    const { login, password } = request.body;
    const retryAfter = await o.limits.take(login, request.ip);
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
    await o.limits.succeeded(login, request.ip);
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
  };
}

export function sessionRoutes(o: SessionRoutesOptions) {
  const { records, authenticator } = o;

  return async (app: FastifyInstance) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.post(
      '/api/session',
      {
        config: { access: { kind: 'public' } },
        schema: { body: SignIn, response: { 200: SessionBody, 401: ErrorBody, 429: ErrorBody } },
      },
      signIn(o),
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
  };
}
