import { DbcError } from '../errors.js';
import {
  type DbcDraft,
  EXTENDED_FLAG,
  type MessageDraft,
  NO_NODE,
  type SignalDraft,
} from './draft.js';
import type {
  AttributeDefinition,
  AttributeValue,
  DbcDatabase,
  DbcMessage,
  DbcNode,
  DbcSignal,
} from './model.js';
import { formatMuxIndicator, resolveMultiplexing } from './multiplexing.js';
import { overlapWarnings } from './overlaps.js';

/**
 * Turns what the parser collected into the DbcDatabase model: applies CM_, BA_DEF_DEF_, BA_,
 * VAL_, BO_TX_BU_, SIG_VALTYPE_ and SG_MUL_VAL_ to the messages and signals they name.
 *
 * References to messages or signals that do not exist are warnings for comments, attributes
 * and value tables (opendbc files have such leftovers; cantools ignores them). They are
 * DbcErrors where they change decoding: a float type on a signal of the wrong length, an
 * SG_MUL_VAL_ for a message that does not exist, unresolvable multiplexing.
 */
export function buildDatabase(draft: DbcDraft): DbcDatabase {
  return new DatabaseBuilder(draft).build();
}

class DatabaseBuilder {
  constructor(private readonly draft: DbcDraft) {}

  private warn(line: number, message: string): void {
    this.draft.warnings.push({ line, message });
  }

  private findSignal(
    dbcId: number,
    name: string,
    line: number,
    what: string,
  ): SignalDraft | undefined {
    const message = this.draft.messageByDbcId.get(dbcId);
    if (!message) {
      this.warn(line, `${what} refers to message id ${dbcId}, which is not defined; ignored`);
      return undefined;
    }
    const signal = message.signals.find((s) => s.name === name);
    if (!signal) {
      this.warn(
        line,
        `${what} refers to signal ${name} of BO_ ${message.name}, which is not defined; ignored`,
      );
    }
    return signal;
  }

  private typedAttribute(name: string, value: AttributeValue, line: number): AttributeValue {
    const def = this.draft.definitions.get(name);
    if (!def) {
      this.warn(line, `attribute "${name}" has no BA_DEF_; kept as written`);
      return value;
    }
    if (def.valueType === 'STRING' || typeof value === 'string') return value;
    // cantools: int(Decimal(text)) for INT/HEX/ENUM, float for FLOAT.
    return def.valueType === 'FLOAT' ? value : Math.trunc(value);
  }

  private readonly busComments: string[] = [];
  private readonly nodeComments = new Map<string, string>();
  private readonly nodeAttributes = new Map<string, Record<string, AttributeValue>>();
  private readonly databaseAttributes: Record<string, AttributeValue> = {};

  build(): DbcDatabase {
    this.applyAttributeDefaults();
    this.applyComments();
    this.applyAttributes();
    this.applyValueTables();
    this.applySenders();
    this.applyValueTypes();
    this.checkMuxEntryMessages();

    const messages = this.draft.messages.map((m) => this.buildMessage(m));
    const nodes: DbcNode[] = this.draft.nodeNames.map((name) => ({
      name,
      comment: this.nodeComments.get(name),
      attributes: this.nodeAttributes.get(name) ?? {},
    }));
    const definitions = new Map<string, AttributeDefinition>();
    for (const [name, { line: _line, ...def }] of this.draft.definitions) {
      definitions.set(name, def);
    }
    return {
      file: this.draft.file,
      version: this.draft.version,
      nodes,
      messages,
      valueTables: this.draft.valueTables,
      attributeDefinitions: definitions,
      attributes: this.databaseAttributes,
      // CANdb++ concatenates several bus comments; so does cantools.
      comment: this.busComments.length > 0 ? this.busComments.join('') : undefined,
      warnings: this.draft.warnings,
    };
  }

  private applyAttributeDefaults(): void {
    for (const { name, value, line } of this.draft.pending.attributeDefaults) {
      const def = this.draft.definitions.get(name);
      if (!def) {
        this.warn(line, `BA_DEF_DEF_ "${name}" has no BA_DEF_; ignored`);
        continue;
      }
      this.draft.definitions.set(name, {
        ...def,
        defaultValue: this.typedAttribute(name, value, line),
      });
    }
  }

  private applyComments(): void {
    for (const { ref, text, line } of this.draft.pending.comments) {
      switch (ref.kind) {
        case 'database':
          this.busComments.push(text);
          break;
        case 'node':
          if (!this.draft.nodeNames.includes(ref.node)) {
            this.warn(line, `CM_ BU_ ${ref.node}: no such node in BU_`);
          }
          this.nodeComments.set(ref.node, text);
          break;
        case 'message': {
          const m = this.draft.messageByDbcId.get(ref.dbcId);
          if (m) m.comment = text;
          else this.warn(line, `CM_ BO_ ${ref.dbcId}: no such message; ignored`);
          break;
        }
        case 'signal': {
          const s = this.findSignal(ref.dbcId, ref.signal, line, 'CM_ SG_');
          if (s) s.comment = text;
          break;
        }
        case 'envvar':
          break;
      }
    }
  }

  private applyAttributes(): void {
    for (const { name, ref, value, line } of this.draft.pending.attributes) {
      const typed = this.typedAttribute(name, value, line);
      switch (ref.kind) {
        case 'database':
          this.databaseAttributes[name] = typed;
          break;
        case 'node': {
          const attrs = this.nodeAttributes.get(ref.node) ?? {};
          attrs[name] = typed;
          this.nodeAttributes.set(ref.node, attrs);
          break;
        }
        case 'message': {
          const m = this.draft.messageByDbcId.get(ref.dbcId);
          if (m) m.attributes[name] = typed;
          else {
            this.warn(
              line,
              `BA_ "${name}" refers to message id ${ref.dbcId}, which is not defined; ignored`,
            );
          }
          break;
        }
        case 'signal': {
          const s = this.findSignal(ref.dbcId, ref.signal, line, `BA_ "${name}"`);
          if (s) s.attributes[name] = typed;
          break;
        }
        case 'envvar':
          break;
      }
    }
  }

  private applyValueTables(): void {
    for (const { dbcId, signal, table, line } of this.draft.pending.valueTables) {
      const s = this.findSignal(dbcId, signal, line, 'VAL_');
      if (s && table.size > 0) s.valueTable = table;
    }
  }

  private applySenders(): void {
    for (const { dbcId, nodes, line } of this.draft.pending.senders) {
      const m = this.draft.messageByDbcId.get(dbcId);
      if (!m) {
        this.warn(line, `BO_TX_BU_ ${dbcId}: no such message; ignored`);
        continue;
      }
      for (const node of nodes) {
        if (node !== NO_NODE && !m.senders.includes(node)) m.senders.push(node);
      }
    }
  }

  private applyValueTypes(): void {
    for (const { dbcId, signal, type, line } of this.draft.pending.valueTypes) {
      const s = this.findSignal(dbcId, signal, line, 'SIG_VALTYPE_');
      if (!s) continue;
      if (type === 0) {
        s.valueType = 'integer';
        continue;
      }
      const bits = type === 1 ? 32 : 64;
      if (s.length !== bits) {
        throw new DbcError(
          `SIG_VALTYPE_ ${dbcId} ${signal} : ${type} declares a float${bits} but the signal is ${s.length} bits long`,
          this.draft.file,
          line,
        );
      }
      s.valueType = type === 1 ? 'float32' : 'float64';
    }
  }

  private checkMuxEntryMessages(): void {
    for (const entry of this.draft.pending.muxEntries) {
      if (!this.draft.messageByDbcId.has(entry.dbcId)) {
        throw new DbcError(
          `SG_MUL_VAL_ refers to message id ${entry.dbcId}, which is not defined`,
          this.draft.file,
          entry.line,
        );
      }
    }
  }

  private attributeLabel(name: string, value: AttributeValue | undefined): string | undefined {
    const def = this.draft.definitions.get(name);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    return def?.valueType === 'ENUM' ? def.enumValues[value] : String(value);
  }

  private buildMessage(m: MessageDraft): DbcMessage {
    const entries = this.draft.pending.muxEntries.filter((e) => e.dbcId === m.dbcId);
    const conditions = resolveMultiplexing(
      m.name,
      m.signals,
      entries,
      this.draft.file,
      this.draft.warnings,
    );

    const signals: DbcSignal[] = m.signals.map((s) => ({
      name: s.name,
      startBit: s.startBit,
      length: s.length,
      byteOrder: s.byteOrder,
      signed: s.signed,
      valueType: s.valueType,
      scale: s.scale,
      offset: s.offset,
      minimum: s.minimum,
      maximum: s.maximum,
      unit: s.unit,
      receivers: s.receivers,
      muxIndicator: formatMuxIndicator(s.indicator),
      isMultiplexer: s.indicator?.isSwitch === true,
      multiplexedBy: conditions.get(s.name),
      valueTable: s.valueTable,
      comment: s.comment,
      attributes: s.attributes,
      line: s.line,
    }));
    this.draft.warnings.push(...overlapWarnings(m.name, signals));

    const cycleDef = this.draft.definitions.get('GenMsgCycleTime');
    const cycle = cycleDef ? (m.attributes.GenMsgCycleTime ?? cycleDef.defaultValue) : undefined;
    const cycleTimeMs = typeof cycle === 'number' && cycle > 0 ? cycle : undefined;
    const frameFormat = this.attributeLabel(
      'VFrameFormat',
      m.attributes.VFrameFormat ?? this.draft.definitions.get('VFrameFormat')?.defaultValue,
    );
    const extended = m.dbcId >= EXTENDED_FLAG;
    return {
      id: extended ? m.dbcId - EXTENDED_FLAG : m.dbcId,
      extended,
      dbcId: m.dbcId,
      name: m.name,
      length: m.length,
      senders: m.senders,
      signals,
      cycleTimeMs,
      fd: frameFormat?.endsWith('CAN_FD') === true,
      comment: m.comment,
      attributes: m.attributes,
      line: m.line,
    };
  }
}
