import type Type from 'typebox';
import type { Static, TLiteral, TObject, TProperties } from 'typebox';
import type { CanSource } from './source.js';

/**
 * A kind of CAN source the agent's config can name in `can.source.type`: its settings, and
 * how to make the source from them. Each kind lives in a file of its own under source-types/
 * and is registered by one line in source-registry.ts; the config's schema for `can.source`,
 * the resolution of its file paths, the OBD-II check and the loader are all built from it.
 *
 * The settings are built with the TypeBox builder handed in rather than one imported here:
 * the agent validates its config in a worker thread so that TypeBox never loads into the
 * long-running main thread (see config-load.ts), and the main thread loads these files for
 * their loaders.
 */
export interface CanSourceType<
  Name extends string = string,
  Settings extends TProperties = TProperties,
> {
  /** The value of `can.source.type`. */
  readonly type: Name;
  /** The settings beside `type` (each unknown one is refused). */
  settings(T: typeof Type): Settings;
  /** Settings that name files: resolved against the config file's folder. */
  readonly files: readonly (keyof Settings & string)[];
  /** Whether the source can put frames on the bus: OBD-II polling needs one that can. */
  readonly transmits: boolean;
  /** Whether the source is started again when it ends by itself (a replay in a loop). */
  restartsAtEnd?(config: CanSourceSettings<Name, Settings>): boolean;
  /**
   * Makes the source. Its module is imported here, only when configured: on a small board, the
   * serial-port binding and the modules of unused sources are memory the agent does not need.
   */
  load(config: CanSourceSettings<Name, Settings>): Promise<CanSource>;
}

/** The JSON schema of one kind's `can.source`: `type` and its settings, nothing else. */
export type CanSourceSchema<Name extends string, Settings extends TProperties> = TObject<
  { type: TLiteral<Name> } & Settings
>;

/** A validated `can.source` of one kind. */
export type CanSourceSettings<Name extends string, Settings extends TProperties> = Static<
  CanSourceSchema<Name, Settings>
>;

/** Declares a kind of CAN source; the identity, for the types it infers. */
export function defineCanSourceType<const Name extends string, Settings extends TProperties>(
  definition: CanSourceType<Name, Settings>,
): CanSourceType<Name, Settings> {
  return definition;
}

/** The schema of one kind's `can.source`, built with the builder handed in. */
export function canSourceSchema<Name extends string, Settings extends TProperties>(
  T: typeof Type,
  kind: CanSourceType<Name, Settings>,
): CanSourceSchema<Name, Settings> {
  return T.Object(
    { type: T.Literal(kind.type), ...kind.settings(T) },
    { additionalProperties: false },
  ) as CanSourceSchema<Name, Settings>;
}
