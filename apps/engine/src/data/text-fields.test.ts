import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateFields, parseDecimal, splitQuotedLine } from './text-fields.js';

describe('parseDecimal', () => {
  it('equals Number() on plain decimals (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.integer({ min: 0, max: 8 }),
        (mantissa, scale) => {
          const text = (mantissa / 10 ** scale).toFixed(scale);
          expect(parseDecimal(text, 0, text.length)).toBe(Number(text));
        },
      ),
    );
  });

  it('handles exponents and long mantissas through Number() and rejects junk', () => {
    expect(parseDecimal('1.5e3', 0, 5)).toBe(1500);
    expect(parseDecimal('12345678901234567.5', 0, 19)).toBe(Number('12345678901234567.5'));
    expect(parseDecimal('abc', 0, 3)).toBeNaN();
    expect(parseDecimal('1.2.3', 0, 5)).toBeNaN();
    expect(parseDecimal('', 0, 0)).toBeNaN();
    expect(parseDecimal('Infinity', 0, 8)).toBeNaN();
  });
});

describe('locateFields', () => {
  it('finds only the fields asked for, trimmed', () => {
    const bounds = new Int32Array(16);
    const line = 'x, 12.5 ,3,rest,of,line';
    expect(locateFields(line, 0, line.length, ',', 3, bounds)).toBe(3);
    expect(line.slice(bounds[2], bounds[3])).toBe('12.5');
    expect(line.slice(bounds[4], bounds[5])).toBe('3');
  });

  it('reports fewer fields when the line is short', () => {
    const bounds = new Int32Array(16);
    expect(locateFields('a,b', 0, 3, ',', 3, bounds)).toBe(2);
  });
});

describe('splitQuotedLine', () => {
  it('keeps delimiters and doubled quotes inside quoted fields', () => {
    expect(splitQuotedLine('"a,b","say ""hi""",3', ',')).toEqual(['a,b', 'say "hi"', '3']);
  });
});

describe('parseDecimal refuses what is not a decimal', () => {
  it('rejects hex, binary and octal literals and blank text that Number() would read', () => {
    for (const text of ['0x10', '0b11', '0o17', '0X1F', '-0x10', ' ', '\t']) {
      expect(parseDecimal(text, 0, text.length), text).toBeNaN();
    }
    expect(parseDecimal('1e3', 0, 3)).toBe(1000);
    expect(parseDecimal('-2.5E-2', 0, 7)).toBe(-0.025);
    expect(parseDecimal('.5', 0, 2)).toBe(0.5);
  });
});
