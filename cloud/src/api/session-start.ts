import type { RecordsDb, User } from '@fleetline/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator, SessionTimes } from '../access/authenticator.js';
import { SESSION_COOKIE } from './access-control.js';
import { serialize } from './cookie.js';
import { sessionBody } from './session-body.js';

/** What signing in and changing one's password share: starting a session and answering it. */

export interface SessionStartOptions {
  records: RecordsDb;
  authenticator: Authenticator;
  times: SessionTimes;
}

/** Starts a session for the user, sets its cookie on the reply, answers its body. */
export const sessionStarter =
  (o: SessionStartOptions) => async (request: FastifyRequest, reply: FastifyReply, user: User) => {
    const session = await o.authenticator.startSession(user, request.ip);
    const grants = await o.records.grantsOf(user.id);
    reply.header('set-cookie', serialize(request, session.id, o.times.maxAgeMs));
    return sessionBody(user, grants, session.record.csrfToken);
  };

/** The answer to a session route called with an API token. */
export const noSession = {
  statusCode: 400,
  error: 'Bad Request',
  message: `only a signed-in person has a session (the ${SESSION_COOKIE} cookie); an API token is revoked, not signed out`,
};
