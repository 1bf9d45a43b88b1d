/**
 * The in-memory form of a DBC file (Vector CANdb++ format), as parseDbc builds it.
 *
 * Everything here is plain data: decoding and encoding compile their own plans from it
 * (decoder.ts, encoder.ts), so the model stays cheap to build and easy to inspect.
 */

/** `1` in the DBC (`@1`) is Intel / little-endian, `0` (`@0`) is Motorola / big-endian. */
export type ByteOrder = 'little_endian' | 'big_endian';

/** SIG_VALTYPE_ 1 marks an IEEE-754 float32 signal, 2 a float64 one; integer otherwise. */
export type SignalValueType = 'integer' | 'float32' | 'float64';

/** An inclusive range of multiplexer switch values, e.g. `2-5` in SG_MUL_VAL_. */
export interface MuxRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Where a multiplexed signal sits: it is present only when the raw value of its switch
 * (`switchName`, a signal of the same message) lies in one of `ranges`. For simple
 * multiplexing the switch is the message's `M` signal and the ranges come from `m<k>`;
 * for extended multiplexing they come from SG_MUL_VAL_ (see multiplexing.ts).
 */
export interface MuxCondition {
  readonly switchName: string;
  readonly ranges: readonly MuxRange[];
}

/** Attribute values after their BA_DEF_ type: INT/HEX/ENUM/FLOAT are numbers, STRING text. */
export type AttributeValue = number | string;

export interface DbcSignal {
  readonly name: string;
  /** The start bit exactly as written: the LSB for little-endian, the MSB for big-endian. */
  readonly startBit: number;
  readonly length: number;
  readonly byteOrder: ByteOrder;
  readonly signed: boolean;
  readonly valueType: SignalValueType;
  readonly scale: number;
  readonly offset: number;
  /** `[min|max]`; both undefined when the file says `[0|0]` (no range, as cantools reads it). */
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly unit: string;
  /** Receiving nodes; `Vector__XXX` (no node) is left out. */
  readonly receivers: readonly string[];
  /** The multiplexer indicator as written: '', 'M', 'm<k>' or 'm<k>M'. */
  readonly muxIndicator: string;
  /** True when other signals are selected by this signal's value (`M` or `m<k>M`). */
  readonly isMultiplexer: boolean;
  /** Set for multiplexed signals; undefined for signals present in every frame. */
  readonly multiplexedBy: MuxCondition | undefined;
  /** VAL_ labels by raw value, for display; decoding always returns numbers. */
  readonly valueTable: ReadonlyMap<number, string> | undefined;
  readonly comment: string | undefined;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Line of the SG_ definition in the file. */
  readonly line: number;
}

export interface DbcMessage {
  /** The arbitration id without flag bits (bit 31 of the DBC id is `extended`). */
  readonly id: number;
  readonly extended: boolean;
  /** The id as written in the DBC: `id | 0x80000000` for extended frames. */
  readonly dbcId: number;
  readonly name: string;
  /** Data length in bytes. */
  readonly length: number;
  /** The BO_ transmitter plus any BO_TX_BU_ senders; `Vector__XXX` is left out. */
  readonly senders: readonly string[];
  /** Signals in the order the file lists them. */
  readonly signals: readonly DbcSignal[];
  /** GenMsgCycleTime (attribute or its default) in ms; undefined when absent or 0. */
  readonly cycleTimeMs: number | undefined;
  /** VFrameFormat says StandardCAN_FD or ExtendedCAN_FD. */
  readonly fd: boolean;
  readonly comment: string | undefined;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly line: number;
}

export interface AttributeDefinition {
  readonly name: string;
  /** '' for database attributes, else the object kind the attribute applies to. */
  readonly objectType: '' | 'BU_' | 'BO_' | 'SG_' | 'EV_';
  readonly valueType: 'INT' | 'HEX' | 'FLOAT' | 'STRING' | 'ENUM';
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly enumValues: readonly string[];
  readonly defaultValue: AttributeValue | undefined;
}

export interface DbcNode {
  readonly name: string;
  readonly comment: string | undefined;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** Something odd in the file that does not stop it from loading (overlaps, dangling refs). */
export interface DbcWarning {
  readonly line: number;
  readonly message: string;
}

export interface DbcDatabase {
  /** The file name used in errors and warnings. */
  readonly file: string;
  readonly version: string;
  readonly nodes: readonly DbcNode[];
  readonly messages: readonly DbcMessage[];
  /** VAL_TABLE_ definitions by name. */
  readonly valueTables: ReadonlyMap<string, ReadonlyMap<number, string>>;
  readonly attributeDefinitions: ReadonlyMap<string, AttributeDefinition>;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly comment: string | undefined;
  readonly warnings: readonly DbcWarning[];
}
