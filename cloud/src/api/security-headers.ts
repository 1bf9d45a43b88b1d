import helmet from '@fastify/helmet';
import type { HttpServer } from './http-server.js';

/**
 * What every answer carries and every request must show: helmet's security headers (a
 * content security policy of 'self', no sniffing, no framing, no referrer leaks), and a Host
 * header among the allowed names when a list is configured — a page on a rebinding DNS name
 * reaches the API through a browser with its own name as Host, and is refused here. (CORS,
 * when configured at all: cross-origin.ts.)
 */
export function securityHeaders(app: HttpServer, allowedHosts: readonly string[]): void {
  void app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // Nothing from third-party hosts: fonts and styles come from this origin too.
        'font-src': ["'self'", 'data:'],
        'style-src': ["'self'", "'unsafe-inline'"],
        // The all-in-one serves plain HTTP on loopback: asking browsers to upgrade would
        // break every page there. Behind TLS, HSTS does the job.
        'upgrade-insecure-requests': null,
      },
    },
  });
  if (allowedHosts.length === 0) return;
  const allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
  app.addHook('onRequest', async (request, reply) => {
    const host = hostName(request.headers.host ?? '');
    if (allowed.has(host)) return;
    return reply.code(400).send({
      statusCode: 400,
      error: 'Bad Request',
      message: `Host ${JSON.stringify(host)} is not one this server answers (HTTP_ALLOWED_HOSTS)`,
      code: 'HOST_NOT_ALLOWED',
    });
  });
}

/** The name of a Host header, without its port: `[::1]:8080` → `[::1]`, `a.b:80` → `a.b`. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}
