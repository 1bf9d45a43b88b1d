import type { DbcDraft } from '../draft.js';
import type { AttributeDefinition, AttributeValue } from '../model.js';
import type { TokenCursor } from '../token-cursor.js';
import { objectRef } from './references.js';

/**
 * Attributes: BA_DEF_ defines one (its object type, value type and range), BA_DEF_DEF_ gives
 * its default, BA_ sets it on the database, a node, a message or a signal. Values are kept
 * for build-database.ts to resolve once the whole file is read.
 */

function attributeValue(c: TokenCursor, context: string): AttributeValue {
  const t = c.peek();
  if (t?.kind === 'string') return c.next().text;
  return c.expectNumber(context, 'the attribute value');
}

// BA_DEF_ [BU_|BO_|SG_|EV_] "<name>" INT|HEX|FLOAT <min> <max> | STRING | ENUM "<a>","<b>"...;
export function parseAttributeDefinition(c: TokenCursor, draft: DbcDraft, line: number): void {
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
    draft.warnings.push({
      line,
      message: `${context}: unknown value type ${valueType}, ignored`,
    });
    return;
  }
  draft.definitions.set(name, {
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
export function parseAttributeDefault(c: TokenCursor, draft: DbcDraft, line: number): void {
  const name = c.expectString('BA_DEF_DEF_', 'the attribute name');
  const value = attributeValue(c, `BA_DEF_DEF_ "${name}"`);
  c.expectPunct(';', `BA_DEF_DEF_ "${name}"`);
  draft.pending.attributeDefaults.push({ name, value, line });
}

// BA_ "<name>" [BU_ <node> | BO_ <id> | SG_ <id> <signal> | EV_ <name>] <value>;
export function parseAttribute(c: TokenCursor, draft: DbcDraft, line: number): void {
  const name = c.expectString('BA_', 'the attribute name');
  const context = `BA_ "${name}"`;
  const ref = objectRef(c, context);
  const value = attributeValue(c, context);
  c.expectPunct(';', context);
  draft.pending.attributes.push({ name, ref, value, line });
}
