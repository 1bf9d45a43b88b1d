import { BadInputError } from '../errors.js';
import type { HttpServer } from './http-server.js';
import { findBadQueryParameter, findLaxInteger, findLoneSurrogate } from './well-formed.js';

/**
 * Input checks every route gets, installed on the root instance before the routes (so every
 * route plugin inherits them): text must be well-formed — bodies are read as UTF-8 strictly,
 * then checked for lone surrogates that JSON escapes can carry; queries for bytes that are not
 * UTF-8 — and integers in queries must be plain decimals.
 */
export function strictInput(app: HttpServer): void {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(new BadInputError('body is not valid UTF-8'), undefined);
    }
    parseJson(request, text, (err, value) => {
      if (err) return done(err, undefined);
      const at = findLoneSurrogate(value, 'body');
      if (at) {
        return done(
          new BadInputError(
            `${at} contains a lone UTF-16 surrogate; send well-formed Unicode text`,
          ),
          undefined,
        );
      }
      done(null, value);
    });
  });
  // ajv coerces query strings to numbers as JavaScript does ("1e309" → Infinity, "0x10" →
  // 16, " 5" → 5), and Infinity passes a `maximum`: integers in queries are plain decimals.
  app.addHook('preValidation', async (request) => {
    const problem = findLaxInteger(request.query, request.routeOptions.schema?.querystring);
    if (problem) throw new BadInputError(problem);
  });
  app.addHook('onRequest', async (request) => {
    const q = request.url.indexOf('?');
    if (q < 0) return;
    const at = findBadQueryParameter(request.url.slice(q + 1));
    if (at) {
      throw new BadInputError(
        `${at} is not valid percent-encoded UTF-8 (a lone UTF-16 surrogate, or bytes that are not text)`,
      );
    }
  });
}
