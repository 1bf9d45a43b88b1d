import { describe, expect, it } from 'vitest';
import { displayWidth, table } from '../../src/admin/output.js';

describe('table', () => {
  it('should align columns as a terminal shows Chinese (two columns a character)', () => {
    const text = table(
      ['NAME', 'CODE'],
      [
        ['广州北店', 'north'],
        ['South', 'south'],
      ],
    );
    expect(text).toBe('NAME      CODE\n广州北店  north\nSouth     south\n');
    expect(displayWidth('广州北店')).toBe(8);
    expect(displayWidth('Ame\u0301lie')).toBe(6);
  });

  it('should show blanks as - and escape control characters in cells', () => {
    expect(table(['A', 'B'], [[undefined, 'x\u001b[2J\ny']])).toBe(
      'A  B\n-  x\\u001B[2J\\u000Ay\n',
    );
  });

  it('should say when there is nothing', () => {
    expect(table(['A'], [])).toBe('(none)\n');
  });
});
