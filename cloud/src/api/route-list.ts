import type { HttpServer } from './http-server.js';

/**
 * The routes an API serves, with the names of their query parameters and body fields, noted
 * as they are added — for tests that walk every route.
 */

/** One route the API serves, with the names of its query parameters and body fields. */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly querystring?: readonly string[];
  readonly body?: readonly string[];
  /** Who may call it (the kind of its config.access). */
  readonly access?: string;
}

const routeLists = new WeakMap<object, RouteInfo[]>();

/** Every route `app` serves (HEAD left out), once listRoutes(app) was called before them. */
export function routesOf(app: object): readonly RouteInfo[] {
  return routeLists.get(app) ?? [];
}

/** Notes every route added to `app` from now on. */
export function listRoutes(app: HttpServer): void {
  const routes: RouteInfo[] = [];
  routeLists.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      const querystring = propertyNames(r.schema?.querystring);
      const body = propertyNames(r.schema?.body);
      const access = (r.config as { access?: { kind: string } } | undefined)?.access?.kind;
      routes.push({
        method,
        url: r.url,
        ...(access ? { access } : {}),
        ...(querystring ? { querystring } : {}),
        ...(body ? { body } : {}),
      });
    }
  });
}

const propertyNames = (schema: unknown): string[] | undefined => {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : undefined;
};
