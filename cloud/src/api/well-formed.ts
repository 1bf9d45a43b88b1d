/**
 * Checks of request text the JSON schemas cannot make.
 *
 * Text the API takes must be well-formed Unicode. JSON may escape a lone UTF-16 surrogate
 * (`"\ud800"`, RFC 8259 §8.2 allows it), and a query may percent-encode bytes that are not
 * UTF-8 (`%ED%A0%80`, a surrogate encoded as if it were a character). Neither is text: a store
 * replaced the first with U+FFFD, the query parser kept the second as the raw `%ED%A0%80` —
 * either way not what was sent, silently. Both are refused, naming where they are.
 */

/** String.prototype.isWellFormed (ES2024, in Node 20); the project's TypeScript lib is older. */
const isWellFormed = (s: string): boolean =>
  (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Where in a parsed JSON value the first string or key with a lone surrogate is, if any. */
export function findLoneSurrogate(value: unknown, at: string): string | undefined {
  if (typeof value === 'string') return isWellFormed(value) ? undefined : at;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findLoneSurrogate(value[i], `${at}/${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (!isWellFormed(key)) return `${at} (a key)`;
      const found = findLoneSurrogate(v, `${at}/${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

const decodes = (s: string) => {
  try {
    return isWellFormed(decodeURIComponent(s.replace(/\+/g, ' ')));
  } catch {
    return false;
  }
};

/**
 * Where the first query parameter whose name or value is not valid percent-encoded UTF-8 is
 * (`querystring/<name>`, or the name as sent when it is the name that is bad), or undefined
 * when all are. application/x-www-form-urlencoded: `+` is a space.
 */
export function findBadQueryParameter(query: string): string | undefined {
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    if (!decodes(name)) return `querystring parameter name ${name}`;
    if (!decodes(value)) return `querystring/${decodeURIComponent(name.replace(/\+/g, ' '))}`;
  }
  return undefined;
}

const PLAIN_INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;

/**
 * What is wrong with the first query value the schema wants as an integer but that is not
 * written as a plain decimal one, or undefined when there is none.
 */
export function findLaxInteger(query: unknown, schema: unknown): string | undefined {
  const properties = (schema as { properties?: Record<string, { type?: string }> } | undefined)
    ?.properties;
  if (!properties || query === null || typeof query !== 'object') return undefined;
  for (const [name, value] of Object.entries(query)) {
    if (properties[name]?.type !== 'integer') continue;
    for (const v of [value].flat()) {
      if (typeof v === 'string' && !PLAIN_INTEGER.test(v)) {
        return `querystring/${name} must be a plain decimal integer, got ${JSON.stringify(v.slice(0, 40))}`;
      }
    }
  }
  return undefined;
}
