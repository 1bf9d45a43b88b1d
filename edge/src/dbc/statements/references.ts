import { type DbcDraft, MAX_DBC_ID, type ObjectRef } from '../draft.js';
import type { MuxRange } from '../model.js';
import type { TokenCursor } from '../token-cursor.js';

/**
 * The statements that refer to messages and signals defined anywhere in the file — comments,
 * value tables, float value types, extended multiplexing, extra senders. Each is parsed here
 * and kept in the draft's pending lists; build-database.ts resolves them once the whole file
 * is read (statements may come in any order).
 */

export function objectRef(c: TokenCursor, context: string): ObjectRef {
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
export function parseComment(c: TokenCursor, draft: DbcDraft, line: number): void {
  const ref = objectRef(c, 'CM_');
  const text = c.expectString('CM_', 'the comment');
  c.expectPunct(';', 'CM_');
  draft.pending.comments.push({ ref, text, line });
}

function valuePairs(c: TokenCursor, context: string): Map<number, string> {
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
export function parseSignalValueTable(c: TokenCursor, draft: DbcDraft, line: number): void {
  if (c.peek()?.kind !== 'number') {
    const name = c.expectName('VAL_', 'a message id or environment variable');
    valuePairs(c, `VAL_ ${name}`);
    return;
  }
  const dbcId = c.expectInteger('VAL_', 'the message id', 0, MAX_DBC_ID);
  const signal = c.expectName('VAL_', 'the signal name');
  const table = valuePairs(c, `VAL_ ${dbcId} ${signal}`);
  draft.pending.valueTables.push({ dbcId, signal, table, line });
}

// VAL_TABLE_ <name> (<value> "<label>")* ;
export function parseNamedValueTable(c: TokenCursor, draft: DbcDraft, line: number): void {
  const name = c.expectName('VAL_TABLE_', 'the table name');
  if (draft.valueTables.has(name)) {
    draft.warnings.push({
      line,
      message: `VAL_TABLE_ ${name} is defined again; the last wins`,
    });
  }
  draft.valueTables.set(name, valuePairs(c, `VAL_TABLE_ ${name}`));
}

// SIG_VALTYPE_ <id> <signal> : <0|1|2>;
export function parseSignalValueType(c: TokenCursor, draft: DbcDraft, line: number): void {
  const dbcId = c.expectInteger('SIG_VALTYPE_', 'the message id', 0, MAX_DBC_ID);
  const signal = c.expectName('SIG_VALTYPE_', 'the signal name');
  const context = `SIG_VALTYPE_ ${dbcId} ${signal}`;
  c.accept(':');
  const type = c.expectInteger(context, 'the value type', 0, 2);
  c.expectPunct(';', context);
  draft.pending.valueTypes.push({ dbcId, signal, type, line });
}

// SG_MUL_VAL_ <id> <signal> <switch> <from>-<to>[, <from>-<to>]* ;
export function parseExtendedMultiplexing(c: TokenCursor, draft: DbcDraft, line: number): void {
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
  draft.pending.muxEntries.push({ dbcId, signal, switchName, ranges, line });
}

// BO_TX_BU_ <id> : <node>[,<node>]* ;
export function parseMessageSenders(c: TokenCursor, draft: DbcDraft, line: number): void {
  const dbcId = c.expectInteger('BO_TX_BU_', 'the message id', 0, MAX_DBC_ID);
  const context = `BO_TX_BU_ ${dbcId}`;
  c.expectPunct(':', context);
  const nodes: string[] = [];
  while (!c.isPunct(';')) {
    if (c.accept(',')) continue;
    nodes.push(c.expectName(context, 'a node name'));
  }
  c.next();
  draft.pending.senders.push({ dbcId, nodes, line });
}
