import { bitsNeeded, networkStartBit } from '../bit-layout.js';
import {
  type DbcDraft,
  EXTENDED_FLAG,
  MAX_DBC_ID,
  type MessageDraft,
  NO_NODE,
  type SignalDraft,
} from '../draft.js';
import { type MuxIndicator, parseMuxIndicator } from '../multiplexing.js';
import type { TokenCursor } from '../token-cursor.js';

/**
 * BO_ and its SG_ lines: a message and its signals, with the checks a decoder needs — ids
 * within 11 or 29 bits and used once, signal names used once per message, every signal 1 to
 * 64 bits and within its message's frame.
 */

const MAX_STANDARD_ID = 0x7ff;
const MAX_EXTENDED_ID = 0x1fff_ffff;
/** The largest J1939 transport-protocol message (J1939-21); CAN FD frames stop at 64. */
const MAX_MESSAGE_LENGTH = 1785;
/** cantools drops this pseudo-message: it collects signals not assigned to any message. */
const INDEPENDENT_SIGNALS_MESSAGE = 'VECTOR__INDEPENDENT_SIG_MSG';

// BO_ <id> <name>: <length> <transmitter>
export function parseMessage(c: TokenCursor, draft: DbcDraft, line: number): void {
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
  while (c.isKeyword('SG_')) signals.push(parseSignal(c));
  if (name === INDEPENDENT_SIGNALS_MESSAGE) return;

  checkMessageId(c, draft, dbcId, context, line);
  if (draft.messages.some((m) => m.name === name)) {
    draft.warnings.push({ line, message: `${context}: another message has the same name` });
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
  for (const s of signals) checkSignalFits(c, name, length, s);
  const message: MessageDraft = {
    dbcId,
    name,
    length,
    senders,
    signals,
    line,
    comment: undefined,
    attributes: {},
  };
  draft.messages.push(message);
  draft.messageByDbcId.set(dbcId, message);
}

/** A BO_ id must fit its frame format (11 or 29 bits) and be used by one message only. */
function checkMessageId(
  c: TokenCursor,
  draft: DbcDraft,
  dbcId: number,
  context: string,
  line: number,
): void {
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
  const earlier = draft.messageByDbcId.get(dbcId);
  if (earlier) {
    throw c.error(
      `${context}: id ${dbcId} is already used by BO_ ${earlier.name} (line ${earlier.line})`,
      line,
    );
  }
}

// SG_ <name> [M|m<k>|m<k>M] : <start>|<length>@<order><sign> (<scale>,<offset>) [<min>|<max>] "<unit>" <receivers>
function parseSignal(c: TokenCursor): SignalDraft {
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

function checkSignalFits(
  c: TokenCursor,
  messageName: string,
  messageLength: number,
  s: SignalDraft,
): void {
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
