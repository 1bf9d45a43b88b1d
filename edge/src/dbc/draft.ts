import type {
  AttributeDefinition,
  AttributeValue,
  ByteOrder,
  DbcWarning,
  SignalValueType,
} from './model.js';
import type { ExtendedMuxEntry, MuxIndicator } from './multiplexing.js';

/**
 * What the parser collects from the statements of a DBC file, before references between
 * statements are resolved (build-database.ts turns it into the DbcDatabase model).
 */

/** Bit 31 of a BO_ id marks an extended (29-bit) frame. */
export const EXTENDED_FLAG = 0x8000_0000;
/** A BO_ id as written: 32 bits, bit 31 the extended-frame flag. */
export const MAX_DBC_ID = 0xffff_ffff;
/** `Vector__XXX` stands for "no node" in transmitter and receiver positions. */
export const NO_NODE = 'Vector__XXX';

export interface SignalDraft {
  name: string;
  indicator: MuxIndicator | undefined;
  startBit: number;
  length: number;
  byteOrder: ByteOrder;
  signed: boolean;
  scale: number;
  offset: number;
  minimum: number | undefined;
  maximum: number | undefined;
  unit: string;
  receivers: string[];
  line: number;
  valueType: SignalValueType;
  valueTable: Map<number, string> | undefined;
  comment: string | undefined;
  attributes: Record<string, AttributeValue>;
}

export interface MessageDraft {
  dbcId: number;
  name: string;
  length: number;
  senders: string[];
  signals: SignalDraft[];
  line: number;
  comment: string | undefined;
  attributes: Record<string, AttributeValue>;
}

export type ObjectRef =
  | { kind: 'database' }
  | { kind: 'node'; node: string }
  | { kind: 'message'; dbcId: number }
  | { kind: 'signal'; dbcId: number; signal: string }
  | { kind: 'envvar'; name: string };

export interface PendingReferences {
  comments: { ref: ObjectRef; text: string; line: number }[];
  attributeDefaults: { name: string; value: AttributeValue; line: number }[];
  attributes: { name: string; ref: ObjectRef; value: AttributeValue; line: number }[];
  valueTables: { dbcId: number; signal: string; table: Map<number, string>; line: number }[];
  valueTypes: { dbcId: number; signal: string; type: number; line: number }[];
  muxEntries: ({ dbcId: number } & ExtendedMuxEntry)[];
  senders: { dbcId: number; nodes: string[]; line: number }[];
}

export interface DbcDraft {
  readonly file: string;
  version: string;
  readonly nodeNames: string[];
  readonly messages: MessageDraft[];
  readonly messageByDbcId: Map<number, MessageDraft>;
  readonly valueTables: Map<string, Map<number, string>>;
  readonly definitions: Map<string, AttributeDefinition & { line: number }>;
  readonly warnings: DbcWarning[];
  /** Statements that refer to messages, signals or attributes, resolved after the file. */
  readonly pending: PendingReferences;
}
