import { bitsNeeded, networkStartBit } from './bit-layout.js';
import { buildDatabase } from './build-database.js';
import {
  type DbcDraft,
  EXTENDED_FLAG,
  type MessageDraft,
  NO_NODE,
  type ObjectRef,
  type SignalDraft,
} from './draft.js';
import type { AttributeDefinition, AttributeValue, DbcDatabase, MuxRange } from './model.js';
import { type MuxIndicator, parseMuxIndicator } from './multiplexing.js';
import { TokenCursor } from './token-cursor.js';
import { tokenize } from './tokenizer.js';

/**
 * Parses DBC text into a DbcDatabase. Pure: no I/O (load.ts reads files).
 *
 * The grammar is cantools' (formats/dbc.py) plus the checks a decoder needs. Statements may
 * come in any order; references (CM_, VAL_, BA_, SIG_VALTYPE_, SG_MUL_VAL_, BO_TX_BU_) are
 * resolved after the whole file is read. Sections this module has no use for (EV_,
 * ENVVAR_DATA_, SIG_GROUP_, BA_DEF_REL_, BU_SG_REL_, SGTYPE_, CAT_, FILTER ...) are skipped
 * up to their closing ';'.
 *
 * Every problem is a DbcError `file:line: what is wrong`. Refused: syntax errors, bad numbers,
 * signals of length 0 or above 64 bits, signals whose bits do not fit the message length,
 * float signals (SIG_VALTYPE_) that are not 32/64 bits, duplicate message ids, duplicate
 * signal names in a message, standard ids above 0x7FF and extended ids above 29 bits (cantools
 * refuses both), and unresolvable multiplexing (multiplexing.ts). Overlapping signals and
 * references to unknown messages or signals in CM_/VAL_/BA_ are only warnings: real files have
 * them (cantools loads overlaps with strict=False).
 */

const MAX_DBC_ID = 0xffff_ffff;
const MAX_STANDARD_ID = 0x7ff;
const MAX_EXTENDED_ID = 0x1fff_ffff;
/** The largest J1939 transport-protocol message (J1939-21); CAN FD frames stop at 64. */
const MAX_MESSAGE_LENGTH = 1785;
/** cantools drops this pseudo-message: it collects signals not assigned to any message. */
const INDEPENDENT_SIGNALS_MESSAGE = 'VECTOR__INDEPENDENT_SIG_MSG';

const SKIPPED_STATEMENTS = new Set([
  'EV_',
  'ENVVAR_DATA_',
  'EV_DATA_',
  'SIG_GROUP_',
  'SGTYPE_',
  'SGTYPE_VAL_',
  'BA_DEF_SGTYPE_',
  'BA_SGTYPE_',
  'SIG_TYPE_REF_',
  'SIGTYPE_VALTYPE_',
  'CAT_DEF_',
  'CAT_',
  'FILTER',
  'BA_DEF_REL_',
  'BA_REL_',
  'BA_DEF_DEF_REL_',
  'BU_SG_REL_',
  'BU_EV_REL_',
  'BU_BO_REL_',
  'NS_DESC_',
]);

class DbcParser {
  private readonly cursor: TokenCursor;
  private readonly draft: DbcDraft;

  constructor(text: string, file: string) {
    this.cursor = new TokenCursor(tokenize(text, file), file);
    this.draft = {
      file,
      version: '',
      nodeNames: [],
      messages: [],
      messageByDbcId: new Map(),
      valueTables: new Map(),
      definitions: new Map(),
      warnings: [],
      pending: {
        comments: [],
        attributeDefaults: [],
        attributes: [],
        valueTables: [],
        valueTypes: [],
        muxEntries: [],
        senders: [],
      },
    };
  }

  parse(): DbcDatabase {
    const c = this.cursor;
    while (!c.done) {
      const t = c.next();
      if (t.kind !== 'word') {
        throw c.error(`expected a DBC keyword (BO_, SG_, CM_ ...), found '${t.text}'`, t.line);
      }
      this.statement(t.text, t.line);
    }
    return buildDatabase(this.draft);
  }

  private statement(keyword: string, line: number): void {
    const c = this.cursor;
    switch (keyword) {
      case 'VERSION':
        this.draft.version = c.expectString('VERSION', 'the version text');
        return;
      case 'NS_':
        c.expectPunct(':', 'NS_');
        // The NS_ list names keywords on indented lines; it ends where the next section (a
        // word followed by ':', as cantools reads it) or a message begins.
        while (c.peek()?.kind === 'word' && !c.isPunct(':', 1) && !c.isKeyword('BO_')) c.next();
        return;
      case 'BS_':
        // `BS_: [baudrate : BTR1 , BTR2]`, obsolete; the values are not kept.
        c.expectPunct(':', 'BS_');
        while (c.peek()?.kind === 'number' || c.isPunct(':') || c.isPunct(',')) c.next();
        return;
      case 'BU_':
        c.expectPunct(':', 'BU_');
        while (c.isWord()) this.draft.nodeNames.push(c.next().text);
        return;
      case 'BO_':
        this.message(line);
        return;
      case 'SG_':
        throw c.error('SG_ outside a message: signals must follow their BO_ line', line);
      case 'CM_':
        this.comment(line);
        return;
      case 'BA_DEF_':
        this.attributeDefinition(line);
        return;
      case 'BA_DEF_DEF_':
        this.attributeDefault(line);
        return;
      case 'BA_':
        this.attribute(line);
        return;
      case 'VAL_':
        this.signalValueTable(line);
        return;
      case 'VAL_TABLE_':
        this.namedValueTable(line);
        return;
      case 'SIG_VALTYPE_':
        this.signalValueType(line);
        return;
      case 'SG_MUL_VAL_':
        this.extendedMultiplexing(line);
        return;
      case 'BO_TX_BU_':
        this.messageSenders(line);
        return;
      default:
        if (SKIPPED_STATEMENTS.has(keyword)) {
          c.skipStatement(keyword, line);
          return;
        }
        throw c.error(`unknown keyword '${keyword}'`, line);
    }
  }

  // BO_ <id> <name>: <length> <transmitter>
  private message(line: number): void {
    const c = this.cursor;
    const dbcId = c.expectInteger('BO_', 'the message id', 0, MAX_DBC_ID);
    const name = c.expectName('BO_', 'the message name');
    const context = `BO_ ${name}`;
    c.expectPunct(':', context);
    const length = c.expectInteger(context, 'the length', 0, MAX_MESSAGE_LENGTH);
    const senders: string[] = [];
    if (c.isWord() && c.peek()?.line === line) {
      const transmitter = c.next().text;
      if (transmitter !== NO_NODE) senders.push(transmitter);
    }
    const signals: SignalDraft[] = [];
    while (c.isKeyword('SG_')) signals.push(this.signal());
    if (name === INDEPENDENT_SIGNALS_MESSAGE) return;

    const extended = dbcId >= EXTENDED_FLAG;
    const id = extended ? dbcId - EXTENDED_FLAG : dbcId;
    if (extended && id > MAX_EXTENDED_ID) {
      throw c.error(
        `${context}: id ${dbcId} (0x${dbcId.toString(16)}) sets bits above the 29-bit extended id`,
        line,
      );
    }
    if (!extended && id > MAX_STANDARD_ID) {
      throw c.error(
        `${context}: standard id ${id} (0x${id.toString(16)}) does not fit 11 bits; an extended id is written with bit 31 set (${id + EXTENDED_FLAG})`,
        line,
      );
    }
    const earlier = this.draft.messageByDbcId.get(dbcId);
    if (earlier) {
      throw c.error(
        `${context}: id ${dbcId} is already used by BO_ ${earlier.name} (line ${earlier.line})`,
        line,
      );
    }
    if (this.draft.messages.some((m) => m.name === name)) {
      this.draft.warnings.push({ line, message: `${context}: another message has the same name` });
    }
    const seen = new Map<string, SignalDraft>();
    for (const s of signals) {
      const first = seen.get(s.name);
      if (first) {
        throw c.error(
          `SG_ ${s.name} is defined twice in ${context} (first on line ${first.line})`,
          s.line,
        );
      }
      seen.set(s.name, s);
    }
    for (const s of signals) this.checkSignalFits(name, length, s);
    const draft: MessageDraft = {
      dbcId,
      name,
      length,
      senders,
      signals,
      line,
      comment: undefined,
      attributes: {},
    };
    this.draft.messages.push(draft);
    this.draft.messageByDbcId.set(dbcId, draft);
  }

  // SG_ <name> [M|m<k>|m<k>M] : <start>|<length>@<order><sign> (<scale>,<offset>) [<min>|<max>] "<unit>" <receivers>
  private signal(): SignalDraft {
    const c = this.cursor;
    const line = c.next().line;
    const name = c.expectName('SG_', 'the signal name');
    const context = `SG_ ${name}`;
    let indicator: MuxIndicator | undefined;
    if (!c.isPunct(':')) {
      const word = c.peek();
      indicator = word?.kind === 'word' ? parseMuxIndicator(word.text) : undefined;
      if (!indicator) {
        throw c.error(
          `${context}: expected ':' or a multiplexer indicator (M, m<k>, m<k>M), found '${word?.text ?? 'end of file'}'`,
        );
      }
      c.next();
    }
    c.expectPunct(':', context);
    const startBit = c.expectInteger(context, 'the start bit', 0, 8 * MAX_MESSAGE_LENGTH);
    c.expectPunct('|', context);
    const length = c.expectInteger(context, 'the length', 0, 8 * MAX_MESSAGE_LENGTH);
    c.expectPunct('@', context);
    const order = c.peek();
    if (order?.kind !== 'number' || (order.text !== '0' && order.text !== '1')) {
      throw c.error(
        `${context}: byte order must be 0 (big-endian, Motorola) or 1 (little-endian, Intel), found '${order?.text ?? 'end of file'}'`,
      );
    }
    c.next();
    const sign = c.peek();
    if (sign?.kind !== 'punct' || (sign.text !== '+' && sign.text !== '-')) {
      throw c.error(
        `${context}: expected '+' (unsigned) or '-' (signed) after @${order.text}, found '${sign?.text ?? 'end of file'}'`,
      );
    }
    c.next();
    c.expectPunct('(', context);
    const scale = c.expectFiniteNumber(context, 'the scale');
    c.expectPunct(',', context);
    const offset = c.expectFiniteNumber(context, 'the offset');
    c.expectPunct(')', context);
    c.expectPunct('[', context);
    const minText = c.peek()?.text;
    const minimum = c.expectNumber(context, 'the minimum');
    c.expectPunct('|', context);
    const maxText = c.peek()?.text;
    const maximum = c.expectNumber(context, 'the maximum');
    c.expectPunct(']', context);
    const unit = c.expectString(context, 'the unit');
    // Receivers are comma-separated (cantools: DelimitedList('WORD')).
    const receivers: string[] = [];
    if (c.isWord()) {
      do {
        const node = c.expectName(context, 'a receiver node');
        if (node !== NO_NODE) receivers.push(node);
      } while (c.accept(','));
    }
    // cantools reads `[0|0]` (written exactly so) as "no range".
    const noRange = minText === '0' && maxText === '0';
    return {
      name,
      indicator,
      startBit,
      length,
      byteOrder: order.text === '1' ? 'little_endian' : 'big_endian',
      signed: sign.text === '-',
      scale,
      offset,
      minimum: noRange ? undefined : minimum,
      maximum: noRange ? undefined : maximum,
      unit,
      receivers,
      line,
      valueType: 'integer',
      valueTable: undefined,
      comment: undefined,
      attributes: {},
    };
  }

  private objectRef(context: string): ObjectRef {
    const c = this.cursor;
    if (c.isKeyword('BU_')) {
      c.next();
      return { kind: 'node', node: c.expectName(context, 'a node name') };
    }
    if (c.isKeyword('BO_')) {
      c.next();
      return { kind: 'message', dbcId: c.expectInteger(context, 'a message id', 0, MAX_DBC_ID) };
    }
    if (c.isKeyword('SG_')) {
      c.next();
      const dbcId = c.expectInteger(context, 'a message id', 0, MAX_DBC_ID);
      return { kind: 'signal', dbcId, signal: c.expectName(context, 'a signal name') };
    }
    if (c.isKeyword('EV_')) {
      c.next();
      return { kind: 'envvar', name: c.expectName(context, 'an environment variable name') };
    }
    return { kind: 'database' };
  }

  // CM_ [BU_ <node> | BO_ <id> | SG_ <id> <signal> | EV_ <name>] "<text>";
  private comment(line: number): void {
    const c = this.cursor;
    const ref = this.objectRef('CM_');
    const text = c.expectString('CM_', 'the comment');
    c.expectPunct(';', 'CM_');
    this.draft.pending.comments.push({ ref, text, line });
  }

  private attributeValue(context: string): AttributeValue {
    const c = this.cursor;
    const t = c.peek();
    if (t?.kind === 'string') return c.next().text;
    return c.expectNumber(context, 'the attribute value');
  }

  // BA_DEF_ [BU_|BO_|SG_|EV_] "<name>" INT|HEX|FLOAT <min> <max> | STRING | ENUM "<a>","<b>"...;
  private attributeDefinition(line: number): void {
    const c = this.cursor;
    let objectType: AttributeDefinition['objectType'] = '';
    for (const kind of ['BU_', 'BO_', 'SG_', 'EV_'] as const) {
      if (c.isKeyword(kind)) {
        c.next();
        objectType = kind;
        break;
      }
    }
    const name = c.expectString('BA_DEF_', 'the attribute name');
    const context = `BA_DEF_ "${name}"`;
    const typeToken = c.peek();
    if (typeToken?.kind !== 'word') {
      throw c.error(`${context}: expected the value type (INT, HEX, FLOAT, STRING, ENUM)`);
    }
    c.next();
    const valueType = typeToken.text;
    const numbers: number[] = [];
    const labels: string[] = [];
    while (!c.isPunct(';')) {
      const t = c.next();
      if (t.kind === 'number') numbers.push(Number(t.text));
      else if (t.kind === 'string') labels.push(t.text);
      else if (t.text !== ',') throw c.error(`${context}: unexpected '${t.text}'`, t.line);
    }
    c.next();
    if (!['INT', 'HEX', 'FLOAT', 'STRING', 'ENUM'].includes(valueType)) {
      this.draft.warnings.push({
        line,
        message: `${context}: unknown value type ${valueType}, ignored`,
      });
      return;
    }
    this.draft.definitions.set(name, {
      name,
      objectType,
      valueType: valueType as AttributeDefinition['valueType'],
      minimum: numbers[0],
      maximum: numbers[1],
      enumValues: labels,
      defaultValue: undefined,
      line,
    });
  }

  // BA_DEF_DEF_ "<name>" <value>;
  private attributeDefault(line: number): void {
    const c = this.cursor;
    const name = c.expectString('BA_DEF_DEF_', 'the attribute name');
    const value = this.attributeValue(`BA_DEF_DEF_ "${name}"`);
    c.expectPunct(';', `BA_DEF_DEF_ "${name}"`);
    this.draft.pending.attributeDefaults.push({ name, value, line });
  }

  // BA_ "<name>" [BU_ <node> | BO_ <id> | SG_ <id> <signal> | EV_ <name>] <value>;
  private attribute(line: number): void {
    const c = this.cursor;
    const name = c.expectString('BA_', 'the attribute name');
    const context = `BA_ "${name}"`;
    const ref = this.objectRef(context);
    const value = this.attributeValue(context);
    c.expectPunct(';', context);
    this.draft.pending.attributes.push({ name, ref, value, line });
  }

  private valuePairs(context: string): Map<number, string> {
    const c = this.cursor;
    const table = new Map<number, string>();
    while (!c.isPunct(';')) {
      const value = c.expectInteger(
        context,
        'a raw value',
        -Number.MAX_SAFE_INTEGER,
        Number.MAX_SAFE_INTEGER,
      );
      table.set(value, c.expectString(context, `the label of value ${value}`));
    }
    c.next();
    return table;
  }

  // VAL_ <id> <signal> (<value> "<label>")* ;   (or VAL_ <envvar> ..., not kept)
  private signalValueTable(line: number): void {
    const c = this.cursor;
    if (c.peek()?.kind !== 'number') {
      const name = c.expectName('VAL_', 'a message id or environment variable');
      this.valuePairs(`VAL_ ${name}`);
      return;
    }
    const dbcId = c.expectInteger('VAL_', 'the message id', 0, MAX_DBC_ID);
    const signal = c.expectName('VAL_', 'the signal name');
    const table = this.valuePairs(`VAL_ ${dbcId} ${signal}`);
    this.draft.pending.valueTables.push({ dbcId, signal, table, line });
  }

  // VAL_TABLE_ <name> (<value> "<label>")* ;
  private namedValueTable(line: number): void {
    const c = this.cursor;
    const name = c.expectName('VAL_TABLE_', 'the table name');
    if (this.draft.valueTables.has(name)) {
      this.draft.warnings.push({
        line,
        message: `VAL_TABLE_ ${name} is defined again; the last wins`,
      });
    }
    this.draft.valueTables.set(name, this.valuePairs(`VAL_TABLE_ ${name}`));
  }

  // SIG_VALTYPE_ <id> <signal> : <0|1|2>;
  private signalValueType(line: number): void {
    const c = this.cursor;
    const dbcId = c.expectInteger('SIG_VALTYPE_', 'the message id', 0, MAX_DBC_ID);
    const signal = c.expectName('SIG_VALTYPE_', 'the signal name');
    const context = `SIG_VALTYPE_ ${dbcId} ${signal}`;
    c.accept(':');
    const type = c.expectInteger(context, 'the value type', 0, 2);
    c.expectPunct(';', context);
    this.draft.pending.valueTypes.push({ dbcId, signal, type, line });
  }

  // SG_MUL_VAL_ <id> <signal> <switch> <from>-<to>[, <from>-<to>]* ;
  private extendedMultiplexing(line: number): void {
    const c = this.cursor;
    const dbcId = c.expectInteger('SG_MUL_VAL_', 'the message id', 0, MAX_DBC_ID);
    const signal = c.expectName('SG_MUL_VAL_', 'the signal name');
    const context = `SG_MUL_VAL_ ${dbcId} ${signal}`;
    const switchName = c.expectName(context, 'the multiplexer switch name');
    const ranges: MuxRange[] = [];
    const bound = Number.MAX_SAFE_INTEGER;
    do {
      const from = c.expectInteger(context, 'a range start', 0, bound);
      // `2-5` tokenizes as 2 and -5 (the tokenizer gives the sign to the number, as cantools
      // does); `2 - 5` as 2, '-', 5.
      let to: number;
      if (c.accept('-')) {
        to = c.expectInteger(context, 'a range end', 0, bound);
      } else {
        const t = c.peek();
        if (t?.kind !== 'number' || !t.text.startsWith('-')) {
          throw c.error(`${context}: expected a range <from>-<to>, found '${t?.text ?? 'end'}'`);
        }
        to = 0 - c.expectInteger(context, 'a range end', -bound, 0);
      }
      ranges.push({ from, to });
    } while (c.accept(','));
    c.expectPunct(';', context);
    this.draft.pending.muxEntries.push({ dbcId, signal, switchName, ranges, line });
  }

  // BO_TX_BU_ <id> : <node>[,<node>]* ;
  private messageSenders(line: number): void {
    const c = this.cursor;
    const dbcId = c.expectInteger('BO_TX_BU_', 'the message id', 0, MAX_DBC_ID);
    const context = `BO_TX_BU_ ${dbcId}`;
    c.expectPunct(':', context);
    const nodes: string[] = [];
    while (!c.isPunct(';')) {
      if (c.accept(',')) continue;
      nodes.push(c.expectName(context, 'a node name'));
    }
    c.next();
    this.draft.pending.senders.push({ dbcId, nodes, line });
  }

  private checkSignalFits(messageName: string, messageLength: number, s: SignalDraft): void {
    const c = this.cursor;
    if (s.length < 1 || s.length > 64) {
      throw c.error(`SG_ ${s.name}: length ${s.length} is outside 1..64 bits`, s.line);
    }
    const frameBits = 8 * messageLength;
    if (bitsNeeded(s.startBit, s.length, s.byteOrder) <= frameBits) return;
    if (s.byteOrder === 'little_endian') {
      throw c.error(
        `SG_ ${s.name} start bit ${s.startBit} + length ${s.length} exceeds the ${messageLength}-byte frame of BO_ ${messageName}`,
        s.line,
      );
    }
    const lastByte = (networkStartBit(s.startBit) + s.length - 1) >> 3;
    throw c.error(
      `SG_ ${s.name} (big-endian) start bit ${s.startBit} with length ${s.length} runs into byte ${lastByte}, past the ${messageLength}-byte frame of BO_ ${messageName}`,
      s.line,
    );
  }
}

/**
 * Parses the text of a DBC file. `file` names the file in errors and warnings
 * (`file:line: what is wrong`). Throws DbcError and nothing else.
 */
export function parseDbc(text: string, file = 'input.dbc'): DbcDatabase {
  return new DbcParser(text.startsWith('\uFEFF') ? text.slice(1) : text, file).parse();
}
