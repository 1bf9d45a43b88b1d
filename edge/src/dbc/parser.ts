import { buildDatabase } from './build-database.js';
import type { DbcDraft } from './draft.js';
import type { DbcDatabase } from './model.js';
import {
  parseAttribute,
  parseAttributeDefault,
  parseAttributeDefinition,
} from './statements/attributes.js';
import { parseMessage } from './statements/message.js';
import {
  parseComment,
  parseExtendedMultiplexing,
  parseMessageSenders,
  parseNamedValueTable,
  parseSignalValueTable,
  parseSignalValueType,
} from './statements/references.js';
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

/** Parses one statement, its keyword already read, into the draft. */
type StatementParser = (c: TokenCursor, draft: DbcDraft, line: number) => void;

/** The parser of each keyword's statement (statements/*.ts); SG_ lines belong to their BO_. */
const STATEMENTS = new Map<string, StatementParser>([
  [
    'VERSION',
    (c, draft) => {
      draft.version = c.expectString('VERSION', 'the version text');
    },
  ],
  [
    'NS_',
    (c) => {
      c.expectPunct(':', 'NS_');
      // The NS_ list names keywords on indented lines; it ends where the next section (a
      // word followed by ':', as cantools reads it) or a message begins.
      while (c.peek()?.kind === 'word' && !c.isPunct(':', 1) && !c.isKeyword('BO_')) c.next();
    },
  ],
  [
    'BS_',
    (c) => {
      // `BS_: [baudrate : BTR1 , BTR2]`, obsolete; the values are not kept.
      c.expectPunct(':', 'BS_');
      while (c.peek()?.kind === 'number' || c.isPunct(':') || c.isPunct(',')) c.next();
    },
  ],
  [
    'BU_',
    (c, draft) => {
      c.expectPunct(':', 'BU_');
      while (c.isWord()) draft.nodeNames.push(c.next().text);
    },
  ],
  ['BO_', parseMessage],
  [
    'SG_',
    (c, _draft, line) => {
      throw c.error('SG_ outside a message: signals must follow their BO_ line', line);
    },
  ],
  ['CM_', parseComment],
  ['BA_DEF_', parseAttributeDefinition],
  ['BA_DEF_DEF_', parseAttributeDefault],
  ['BA_', parseAttribute],
  ['VAL_', parseSignalValueTable],
  ['VAL_TABLE_', parseNamedValueTable],
  ['SIG_VALTYPE_', parseSignalValueType],
  ['SG_MUL_VAL_', parseExtendedMultiplexing],
  ['BO_TX_BU_', parseMessageSenders],
]);

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

function emptyDraft(file: string): DbcDraft {
  return {
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

/**
 * Parses the text of a DBC file. `file` names the file in errors and warnings
 * (`file:line: what is wrong`). Throws DbcError and nothing else.
 */
export function parseDbc(text: string, file = 'input.dbc'): DbcDatabase {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const c = new TokenCursor(tokenize(body, file), file);
  const draft = emptyDraft(file);
  while (!c.done) {
    const t = c.next();
    if (t.kind !== 'word') {
      throw c.error(`expected a DBC keyword (BO_, SG_, CM_ ...), found '${t.text}'`, t.line);
    }
    const parse = STATEMENTS.get(t.text);
    if (parse) parse(c, draft, t.line);
    else if (SKIPPED_STATEMENTS.has(t.text)) c.skipStatement(t.text, t.line);
    else throw c.error(`unknown keyword '${t.text}'`, t.line);
  }
  return buildDatabase(draft);
}
