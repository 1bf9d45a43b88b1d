import cors from '@fastify/cors';
import type { HttpServer } from './http-server.js';

/** What a page of an allowed origin may send: API-token calls, JSON bodies. */
const ALLOWED_HEADERS = ['authorization', 'content-type'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * CORS for the configured origins only (HTTP_CORS_ORIGINS): their pages may call the API with
 * an API token (`Authorization: Bearer`). Credentials are never allowed, so another origin's
 * page never rides on a person's session cookie — that is what keeps cookie writes and the
 * CSRF token meaningful. With no origins configured nothing is registered: no CORS header at
 * all, and every other origin's page is kept out by the browser.
 */
export function crossOrigin(app: HttpServer, origins: readonly string[]): void {
  if (origins.length === 0) return;
  // The plugin answers preflights in its request hook, before any route runs; the catch-all
  // OPTIONS route it adds only lets them in. It declares here who may call it — anyone, as a
  // preflight carries no credentials — since access control refuses a route that does not.
  app.addHook('onRoute', (route) => {
    if (route.method === 'OPTIONS' && route.url === '*') {
      route.config = { ...route.config, access: { kind: 'public' } };
    }
  });
  void app.register(cors, {
    origin: [...origins],
    credentials: false,
    methods: METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: ['retry-after'],
    // Browsers keep a preflight's answer this long (seconds); they cap it themselves too.
    maxAge: 600,
    strictPreflight: true,
  });
}
