import type Type from 'typebox';
import type { Static, TUnion } from 'typebox';
import type { CanSource } from './source.js';
import { type CanSourceSchema, type CanSourceType, canSourceSchema } from './source-type.js';
import { candumpSourceType } from './source-types/candump.js';
import { slcanSourceType } from './source-types/slcan.js';
import { socketcanSourceType } from './source-types/socketcan.js';

/**
 * Every kind of CAN source the agent's config can name, one line each. Adding one is its file
 * in source-types/ (a defineCanSourceType) and its line here; the config's schema, the path
 * resolution, the OBD-II check and the loader follow from the list.
 */
export const canSourceTypes = [slcanSourceType, socketcanSourceType, candumpSourceType] as const;

type SchemaOf<K> = K extends CanSourceType<infer N, infer S> ? CanSourceSchema<N, S> : never;
type SchemasOf<Kinds extends readonly unknown[]> = {
  -readonly [I in keyof Kinds]: SchemaOf<Kinds[I]>;
};
/** The registered kinds' schemas as a tuple, so that the config's type is their union. */
type Schemas = SchemasOf<typeof canSourceTypes>;

/** The JSON schema of `can.source`: one of the registered kinds. */
export function canSourceConfigSchema(T: typeof Type): TUnion<Schemas> {
  const schemas = canSourceTypes.map((kind) => canSourceSchema(T, kind as CanSourceType));
  return T.Union(schemas as unknown as Schemas);
}

/** A validated `can.source`. */
export type CanSourceConfig = Static<TUnion<Schemas>>;

/** The registered kind of this `can.source.type`. */
export function canSourceType(type: string): CanSourceType {
  const kind = canSourceTypes.find((k) => k.type === type);
  // Unreachable for a validated config: its schema admits only registered types.
  if (!kind) throw new Error(`no CAN source type "${type}"`);
  return kind as unknown as CanSourceType;
}

/** The kinds that can put frames on the bus, in registration order. */
export function transmittingCanSourceTypes(): string[] {
  return canSourceTypes.filter((k) => k.transmits).map((k) => k.type);
}

/** A copy of `config` with the settings that name files resolved by `resolve`. */
export function resolveCanSourceFiles<C extends CanSourceConfig>(
  config: C,
  resolve: (path: string) => string,
): C {
  const resolved: Record<string, unknown> = { ...config };
  for (const key of canSourceType(config.type).files) {
    const value = resolved[key];
    if (typeof value === 'string') resolved[key] = resolve(value);
  }
  return resolved as C;
}

/** Whether the source is to be started again when it ends by itself. */
export function restartsAtEnd(config: CanSourceConfig): boolean {
  return canSourceType(config.type).restartsAtEnd?.(config) ?? false;
}

/** Makes the configured source (its module is loaded now, only when configured). */
export function createCanSource(config: CanSourceConfig): Promise<CanSource> {
  return canSourceType(config.type).load(config);
}
