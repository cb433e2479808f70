/**
 * What a market-data file holds and where: the record kind (trades, quotes or bars), the format (CSV or
 * NDJSON), the delimiter, whether the first line is a header, and which column carries which field.
 * Recognised from the header by well-known names; anything else comes from the config's `data_handler`.
 */
import { EngineError } from '../engine-error.js';

/**
 * The kind of records a file holds.
 *
 * @example
 * ```ts
 * const kind: RecordKind = detectLayout('timestamp,bid,ask', {}, 'fx.csv').kind; // 'quotes'
 * ```
 */
export type RecordKind = 'trades' | 'quotes' | 'bars';

/**
 * A field the reader needs: the tick fields and the bar fields.
 *
 * @example
 * ```ts
 * const role: FieldRole = 'timestamp';
 * ```
 */
export type FieldRole =
  | 'timestamp'
  | 'price'
  | 'size'
  | 'bid'
  | 'ask'
  | 'open'
  | 'high'
  | 'low'
  | 'close'
  | 'volume';

/**
 * A column given in the config: a header name (case-insensitive) or a 0-based index.
 *
 * @example
 * ```ts
 * const low: ColumnRef = 'Llow';
 * const first: ColumnRef = 0;
 * ```
 */
export type ColumnRef = string | number;

/**
 * The layout options a user may set (each `auto` or absent means "recognise it").
 *
 * @example
 * ```ts
 * const options: LayoutOptions = { kind: 'bars', columns: { low: 'Llow' } };
 * ```
 */
export interface LayoutOptions {
  /** `csv`, `ndjson` or `auto` (NDJSON when the first line starts with `{`). */
  readonly format?: 'auto' | 'csv' | 'ndjson';
  /** Record kind, or `auto` from the columns present. */
  readonly kind?: 'auto' | RecordKind;
  /** Field delimiter for CSV, or `auto` (comma, semicolon, tab or pipe, from the first line). */
  readonly delimiter?: string;
  /** Whether the first CSV line is a header; `auto` decides from whether it parses as data. */
  readonly header?: 'auto' | boolean;
  /** Explicit columns per field; missing fields are looked up by their well-known names. */
  readonly columns?: Partial<Record<FieldRole, ColumnRef>>;
  /** Optional row filter: keep rows whose `column` equals `value` (e.g. one contract of a merged file). */
  readonly symbol?: { readonly column: ColumnRef; readonly value: string } | undefined;
}

/**
 * The resolved layout of one file.
 *
 * @example
 * ```ts
 * const layout = detectLayout('timestamp,price,size', {}, 'trades.csv');
 * layout.kind; // 'trades'
 * ```
 */
export interface FileLayout {
  /** CSV or NDJSON. */
  readonly format: 'csv' | 'ndjson';
  /** Trades, quotes or bars. */
  readonly kind: RecordKind;
  /** Field delimiter (CSV). */
  readonly delimiter: string;
  /** Whether line 1 is a header (CSV; NDJSON never has one). */
  readonly hasHeader: boolean;
  /** Header names (CSV with header) or the keys of the first object (NDJSON). */
  readonly names: readonly string[];
  /** Field → column index (CSV) for every field the kind uses; absent optional fields are missing. */
  readonly indices: Partial<Record<FieldRole, number>>;
  /** Field → key (NDJSON). */
  readonly keys: Partial<Record<FieldRole, string>>;
  /** Column index (CSV) or key (NDJSON) of the symbol filter, with the value to keep. */
  readonly symbol?: { readonly index: number; readonly key: string; readonly value: string } | undefined;
}

/**
 * Well-known header names per field, compared lower-case.
 *
 * @example
 * ```ts
 * KNOWN_COLUMN_NAMES.size; // ['size', 'volume', 'quantity', …]
 * ```
 */
export const KNOWN_COLUMN_NAMES: Readonly<Record<FieldRole, readonly string[]>> = {
  timestamp: ['timestamp', 'time', 'datetime', 'date_time', 'timestamp_utc', 'ts_event', 'ts', 'date'],
  price: ['price', 'last', 'trade_price', 'last_price', 'px'],
  size: ['size', 'volume', 'quantity', 'qty', 'amount', 'sz'],
  bid: ['bid', 'bid_price', 'best_bid'],
  ask: ['ask', 'ask_price', 'best_ask', 'offer'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v', 'size', 'quantity', 'qty'],
};

const REQUIRED: Readonly<Record<RecordKind, readonly FieldRole[]>> = {
  trades: ['timestamp', 'price'],
  quotes: ['timestamp', 'bid', 'ask'],
  bars: ['timestamp', 'open', 'high', 'low', 'close'],
};
const OPTIONAL: Readonly<Record<RecordKind, readonly FieldRole[]>> = {
  trades: ['size', 'bid', 'ask'],
  quotes: ['size'],
  bars: ['volume'],
};

/**
 * Resolves the layout of a file from its first line and the configured options.
 *
 * @throws {@link EngineError} `ENGINE_BAD_LAYOUT` naming the file, what was found and which config key to set.
 * @example
 * ```ts
 * detectLayout('Timestamp,Open,High,Llow,Close,Volume', { columns: { low: 'Llow' } }, 'cl.csv').kind; // 'bars'
 * ```
 */
export function detectLayout(firstLine: string, options: LayoutOptions, file: string): FileLayout {
  const trimmed = firstLine.replace(/^\uFEFF/, '').trim();
  const format =
    options.format && options.format !== 'auto' ? options.format : trimmed.startsWith('{') ? 'ndjson' : 'csv';
  return format === 'ndjson' ? ndjsonLayout(trimmed, options, file) : csvLayout(trimmed, options, file);
}

function csvLayout(line: string, options: LayoutOptions, file: string): FileLayout {
  const delimiter =
    options.delimiter && options.delimiter !== 'auto'
      ? options.delimiter === '\\t'
        ? '\t'
        : options.delimiter
      : ([',', ';', '\t', '|'].find((candidate) => line.includes(candidate)) ?? ',');
  const cells = line.split(delimiter).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
  const looksLikeData =
    cells.length > 0 && /^[+-]?\d/.test(cells[0]!) && cells.slice(1).some((cell) => /^[+-]?\d/.test(cell));
  const hasHeader =
    options.header === undefined || options.header === 'auto' ? !looksLikeData : options.header;
  const names = hasHeader ? cells : cells.map((_, index) => String(index));
  const lower = names.map((name) => name.toLowerCase());
  const find = (ref: ColumnRef | undefined, role: FieldRole): number => {
    if (ref === undefined) return -1;
    if (typeof ref === 'number' || /^\d+$/.test(ref)) {
      const index = Number(ref);
      if (index >= names.length) {
        throw new EngineError(
          'ENGINE_BAD_LAYOUT',
          `${file}: data_handler.columns.${role} is column ${index}, but line 1 has only ${names.length} columns`,
        );
      }
      return index;
    }
    const index = lower.indexOf(ref.toLowerCase());
    if (index < 0) {
      throw new EngineError(
        'ENGINE_BAD_LAYOUT',
        `${file}: data_handler.columns.${role} names column '${ref}', but the header has ${quoteList(names)}`,
      );
    }
    return index;
  };
  const lookup = (role: FieldRole): number => {
    const configured = options.columns?.[role];
    if (configured !== undefined) return find(configured, role);
    if (!hasHeader) return -1;
    for (const name of KNOWN_COLUMN_NAMES[role]) {
      const index = lower.indexOf(name);
      if (index >= 0) return index;
    }
    return -1;
  };
  const found: Partial<Record<FieldRole, number>> = {};
  for (const role of Object.keys(KNOWN_COLUMN_NAMES) as FieldRole[]) {
    const index = lookup(role);
    if (index >= 0) found[role] = index;
  }
  const kind = resolveKind(options.kind, (role) => found[role] !== undefined, file, names, hasHeader);
  const indices: Partial<Record<FieldRole, number>> = {};
  for (const role of [...REQUIRED[kind], ...OPTIONAL[kind]]) {
    const index = found[role];
    if (index !== undefined) indices[role] = index;
  }
  let symbol: FileLayout['symbol'];
  if (options.symbol) {
    const index = find(options.symbol.column, 'symbol' as FieldRole);
    symbol = { index, key: names[index] ?? String(index), value: options.symbol.value };
  }
  return { format: 'csv', kind, delimiter, hasHeader, names, indices, keys: {}, symbol };
}

function ndjsonLayout(line: string, options: LayoutOptions, file: string): FileLayout {
  let first: unknown;
  try {
    first = JSON.parse(line);
  } catch (error) {
    throw new EngineError(
      'ENGINE_BAD_LAYOUT',
      `${file}:1: expected a JSON object per line, got '${line.slice(0, 80)}'`,
      {
        cause: error,
      },
    );
  }
  if (typeof first !== 'object' || first === null || Array.isArray(first)) {
    throw new EngineError(
      'ENGINE_BAD_LAYOUT',
      `${file}:1: expected a JSON object per line, got '${line.slice(0, 80)}'`,
    );
  }
  const names = Object.keys(first);
  const lower = names.map((name) => name.toLowerCase());
  const keys: Partial<Record<FieldRole, string>> = {};
  for (const role of Object.keys(KNOWN_COLUMN_NAMES) as FieldRole[]) {
    const configured = options.columns?.[role];
    if (configured !== undefined) {
      keys[role] = String(configured);
      continue;
    }
    for (const name of KNOWN_COLUMN_NAMES[role]) {
      const index = lower.indexOf(name);
      if (index >= 0) {
        keys[role] = names[index]!;
        break;
      }
    }
  }
  const kind = resolveKind(options.kind, (role) => keys[role] !== undefined, file, names, true);
  const used: Partial<Record<FieldRole, string>> = {};
  for (const role of [...REQUIRED[kind], ...OPTIONAL[kind]]) {
    const key = keys[role];
    if (key !== undefined) used[role] = key;
  }
  const symbol = options.symbol
    ? { index: -1, key: String(options.symbol.column), value: options.symbol.value }
    : undefined;
  return { format: 'ndjson', kind, delimiter: ',', hasHeader: false, names, indices: {}, keys: used, symbol };
}

function resolveKind(
  configured: LayoutOptions['kind'],
  has: (role: FieldRole) => boolean,
  file: string,
  names: readonly string[],
  hasHeader: boolean,
): RecordKind {
  const complete = (kind: RecordKind) => REQUIRED[kind].every(has);
  if (configured !== undefined && configured !== 'auto') {
    const missing = REQUIRED[configured].filter((role) => !has(role));
    if (missing.length > 0) {
      throw new EngineError(
        'ENGINE_BAD_LAYOUT',
        `${file}: a ${configured} file needs columns ${missing.join(', ')}; ` +
          `${hasHeader ? `the header has ${quoteList(names)}` : 'the file has no header'}; ` +
          `set data_handler.columns.${missing[0]} to a column name or 0-based index`,
      );
    }
    return configured;
  }
  for (const kind of ['bars', 'trades', 'quotes'] as const) if (complete(kind)) return kind;
  throw new EngineError(
    'ENGINE_BAD_LAYOUT',
    hasHeader
      ? `${file}: expected a header naming timestamp/time and price (trades), bid and ask (quotes) or ` +
          `open/high/low/close (bars); found ${quoteList(names)}. Map the columns in data_handler.columns`
      : `${file}: line 1 is data, not a header; set data_handler.kind and data_handler.columns (0-based indices)`,
  );
}

function quoteList(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}
