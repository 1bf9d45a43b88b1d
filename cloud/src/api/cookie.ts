import { stringifySetCookie } from 'cookie';
import type { FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './access-control.js';

/**
 * The session cookie: HttpOnly (scripts never see it), SameSite=Lax (not sent with
 * cross-site writes; a link from a chat message still opens the app signed in), Secure when
 * the request came over TLS (directly, or through a proxy trusted by HTTP_TRUST_PROXY), for
 * the whole origin, expiring with the session's absolute lifetime.
 */
export function serialize(request: FastifyRequest, sessionId: string, maxAgeMs: number): string {
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value: sessionId,
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/',
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

/** Tells the browser to forget the session cookie. */
export const expired = (request: FastifyRequest) => serialize(request, '', 0);
