import Type, { type Static, type TSchema } from 'typebox';

/** One setting: its environment variable, schema, default and meaning. */
export interface Setting<S extends TSchema> {
  readonly env: string;
  readonly schema: S;
  readonly default: Static<S>;
  readonly doc: string;
  /** Which processes read it. */
  readonly usedBy: string;
  /** A password or key: its value is never shown, not even in a message about a bad one. */
  readonly secret?: boolean;
}

export const setting = <S extends TSchema>(
  env: string,
  schema: S,
  dflt: Static<S>,
  doc: string,
  usedBy: string,
  options: { secret?: boolean } = {},
): Setting<S> => ({ env, schema, default: dflt, doc, usedBy, ...options });

// Schemas several areas' settings share.
export const Port = Type.Integer({ minimum: 0, maximum: 65535 });
export const Host = Type.String({ minLength: 1 });
export const List = Type.Array(Type.String({ minLength: 1 }));
export const File = Type.String();
/** How a TLS client checks the server's certificate. */
export const TlsVerify = Type.Union([
  Type.Literal('full'),
  Type.Literal('ca'),
  Type.Literal('none'),
]);
export const verifyDoc = (server: string) =>
  `How ${server} certificates are checked: full (signed by the CA and issued for the address connected to), ca (signed by the CA only, for certificates without those addresses), none (not at all: development only).`;
