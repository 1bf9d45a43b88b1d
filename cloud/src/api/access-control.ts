import type { Permission, RecordsDb } from '@fleetline/platform';
import { parseCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../access/authenticator.js';
import { RequestAccess } from '../access/request-access.js';
import { sameSecret } from '../access/secrets.js';
import type { HttpServer } from './http-server.js';

/**
 * Access control, in one place every route passes through. Each route declares in its
 * config who may call it (RouteAccess); a route that declares nothing is refused when it is
 * added, so the server does not start with it. On each request: the caller is identified
 * (API token or session cookie) before the body is read, a cookie-authenticated write must
 * carry the session's CSRF token, the caller's role must give the route's permission, and a
 * route naming a vehicle (`:deviceId`) answers 404 unless the caller may see that vehicle —
 * the same answer as for a vehicle that does not exist, so ids are not disclosed.
 */

export type RouteAccess =
  /** Anyone: health, sign-in. */
  | { readonly kind: 'public' }
  /** Any signed-in caller, also one who must change a password first. */
  | { readonly kind: 'signed-in' }
  /** The route's `:deviceId` must be a vehicle the caller has the permission on. */
  | { readonly kind: 'vehicle'; readonly permission: Permission }
  /**
   * The caller must hold the permission somewhere; the handler answers only what
   * `request.access` covers (lists, alerts by id, the live stream).
   */
  | { readonly kind: 'scoped'; readonly permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Set for every route but public ones. */
    access: RequestAccess;
  }
}

export const SESSION_COOKIE = 'fleetline_session';
export const CSRF_HEADER = 'x-csrf-token';

export const AccessCodes = {
  signInRequired: 'SIGN_IN_REQUIRED',
  csrfTokenInvalid: 'CSRF_TOKEN_INVALID',
  forbidden: 'FORBIDDEN',
  passwordChangeRequired: 'PASSWORD_CHANGE_REQUIRED',
} as const;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const refuse = (reply: FastifyReply, statusCode: 401 | 403, code: string, message: string) =>
  reply.code(statusCode).send({
    statusCode,
    error: statusCode === 401 ? 'Unauthorized' : 'Forbidden',
    message,
    code,
  });

/** The API token of `Authorization: Bearer …`, if any. */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

/** The session id of the request's cookie, if any. */
export function sessionId(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

/**
 * The onRequest step: who calls (token or session), whether a cookie write carries its CSRF
 * token, whether the role permits the route; sets request.access or answers 401/403.
 */
function identifyCaller(o: { authenticator: Authenticator; records: RecordsDb }) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    // Unknown routes (404) have no access config; nothing to protect.
    if (!access || access.kind === 'public') return;
    const token = bearerToken(request);
    const cookieSession = token === undefined ? sessionId(request) : undefined;
    const identify = () =>
      token !== undefined
        ? o.authenticator.fromToken(token)
        : cookieSession !== undefined
          ? o.authenticator.fromSessionId(cookieSession)
          : Promise.resolve(undefined);
    const caller = await identify();
    if (!caller) {
      return refuse(
        reply,
        401,
        AccessCodes.signInRequired,
        'sign in first (session expired, signed out, or no valid token)',
      );
    }
    if (caller.session && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, caller.session.csrfToken)) {
        return refuse(
          reply,
          403,
          AccessCodes.csrfTokenInvalid,
          `a signed-in write must carry the session's CSRF token in the ${CSRF_HEADER} header`,
        );
      }
    }
    if (access.kind !== 'signed-in' && caller.user?.mustChangePassword) {
      return refuse(
        reply,
        403,
        AccessCodes.passwordChangeRequired,
        'choose a new password first (POST /api/account/password)',
      );
    }
    const requestAccess = new RequestAccess(caller, o.records, identify);
    if (access.kind !== 'signed-in' && !requestAccess.holds(access.permission)) {
      return refuse(
        reply,
        403,
        AccessCodes.forbidden,
        `your role does not allow ${access.permission}`,
      );
    }
    request.access = requestAccess;
  };
}

export function accessControl(
  app: HttpServer,
  o: { authenticator: Authenticator; records: RecordsDb },
) {
  app.decorateRequest('access', undefined as unknown as RequestAccess);

  app.addHook('onRoute', (route) => {
    if (!route.config?.access) {
      throw new Error(
        `route ${[route.method].flat().join(',')} ${route.url} declares no access (config.access): every route must say who may call it`,
      );
    }
  });

  app.addHook('onRequest', identifyCaller(o));

  // After validation: the device id is well-formed by now.
  app.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access?.kind !== 'vehicle') return;
    const deviceId = (request.params as { deviceId?: unknown }).deviceId;
    if (typeof deviceId !== 'string')
      throw new Error(`route ${request.routeOptions.url} has access "vehicle" but no :deviceId`);
    const vehicle = await request.access.vehicleOfDevice(deviceId, access.permission);
    if (vehicle) {
      request.access.vehicle = vehicle;
    } else {
      return reply.code(404).send({
        statusCode: 404,
        error: 'Not Found',
        message: `no vehicle ${JSON.stringify(deviceId)} of yours`,
      });
    }
  });
}
