/**
 * Allocation-free field access for delimited text: locate the fields of one line inside a larger chunk
 * string and parse decimals straight from char codes. The file reader runs these once per row of
 * multi-million-row files, so they avoid substrings wherever the result is exactly what `Number()` gives.
 */

const ZERO = 48;
const NINE = 57;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const SPACE = 32;
const TAB = 9;
// 10^k for k ≤ 22 is exact in binary64, so `mantissa / POWERS[k]` is the correctly rounded quotient.
const POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Finds the first `wanted` fields of `text[start, end)` split by `delimiter`, writing each field's start
 * and end into `bounds` (`bounds[2i]`, `bounds[2i+1]`, surrounding blanks trimmed) and returning how many
 * were found (at most `wanted`). Fields after the last one needed are never scanned. The caller must send
 * lines holding a double quote to {@link splitQuotedLine} instead.
 *
 * @example
 * ```ts
 * const bounds = new Int32Array(16);
 * locateFields('a,b,c', 0, 5, ',', 3, bounds); // 3; bounds = [0,1, 2,3, 4,5, …]
 * ```
 */
export function locateFields(
  text: string,
  start: number,
  end: number,
  delimiter: string,
  wanted: number,
  bounds: Int32Array,
): number {
  let count = 0;
  let fieldStart = start;
  // indexOf runs the native string search, several times faster than a charCodeAt loop per character.
  while (count < wanted) {
    let fieldEnd = text.indexOf(delimiter, fieldStart);
    if (fieldEnd < 0 || fieldEnd > end) fieldEnd = end;
    let s = fieldStart;
    let e = fieldEnd;
    while (s < e && isBlank(text.charCodeAt(s))) s++;
    while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
    bounds[2 * count] = s;
    bounds[2 * count + 1] = e;
    count++;
    if (fieldEnd === end) break;
    fieldStart = fieldEnd + 1;
  }
  return count;
}

/**
 * Splits one CSV line that may hold double-quoted fields (RFC 4180: `""` inside quotes is a quote).
 *
 * @example
 * ```ts
 * splitQuotedLine('"a,b",c', ','); // ['a,b', 'c']
 * ```
 */
export function splitQuotedLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      fields.push(field.trim());
      field = '';
    } else field += char;
  }
  fields.push(field.trim());
  return fields;
}

/**
 * Parses a decimal number from `text[start, end)`; returns `NaN` when the text is not a plain finite
 * decimal number (hex, binary and octal literals, `Infinity` and blank text included). For decimal text it
 * gives exactly what `Number()` gives: plain decimals with at most 15 significant digits are computed from
 * char codes, anything else (exponents, long mantissas) goes through `Number()`.
 *
 * @example
 * ```ts
 * parseDecimal('167.41', 0, 6); // 167.41
 * parseDecimal('abc', 0, 3); // NaN
 * ```
 */
export function parseDecimal(text: string, start: number, end: number): number {
  if (start >= end) return Number.NaN;
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === MINUS || first === PLUS) {
    negative = first === MINUS;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let seenDot = false;
  let any = false;
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= ZERO && code <= NINE) {
      any = true;
      if (mantissa !== 0 || code !== ZERO) digits++;
      mantissa = mantissa * 10 + (code - ZERO);
      if (seenDot) fraction++;
    } else if (code === DOT && !seenDot) {
      seenDot = true;
    } else {
      return slowNumber(text, start, end);
    }
  }
  if (!any) return Number.NaN;
  if (digits > 15 || fraction > 22) return slowNumber(text, start, end);
  const value = fraction === 0 ? mantissa : mantissa / POWERS[fraction]!;
  return negative ? -value : value;
}

// Number() also reads hex, binary and octal literals (`0x10` is 16) and blank text (as 0): only decimal text,
// with an optional exponent, may reach it.
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function slowNumber(text: string, start: number, end: number): number {
  const slice = text.slice(start, end);
  if (!DECIMAL.test(slice)) return Number.NaN;
  const value = Number(slice);
  return Number.isFinite(value) ? value : Number.NaN;
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === 13;
}
