/**
 * Test support (never exported from the package): reads the AlgoSpace 30-minute OHLCV exports of the shared
 * market data (`nq_30min_algospace_ETH.csv`, `cl_30min_algospace_ETH.csv`) into bars, and cuts the NQ
 * file's known bad stretch out. The files themselves stay outside the repository (their licences forbid
 * redistribution); see the data folder's README.
 */
import { readMarketDataLines } from '../../../test-support/market-data.js';

/** One 30-minute bar of an AlgoSpace export. */
export interface CsvBar {
  /** Bar start on the file's own clock (US Eastern + 7 h), encoded as if it were UTC epoch milliseconds. */
  readonly timestamp: number;
  readonly timeframe: '30m';
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly synthetic: false;
  readonly tickCount: number;
}

/** The NQ 30-minute file. */
export const NQ_30_MINUTE_FILE = 'nq_30min_algospace_ETH.csv';
/** The CL 30-minute file. */
export const CL_30_MINUTE_FILE = 'cl_30min_algospace_ETH.csv';

// The data README: from 2023-12-12 22:30 to 2024-06-13/14 the NQ series follows an illiquid deferred
// contract (volume 0–1,600 a day, a +4.5 % jump on entry). Indicator tests exclude it.
const NQ_BAD_FROM = Date.UTC(2023, 11, 12, 22, 30);
const NQ_BAD_UNTIL = Date.UTC(2024, 5, 15);

/**
 * Parses the export's mixed, day-first timestamps: `dd/mm/yyyy HH:MM:SS` and `d/m/yyyy H:MM` both occur in
 * the same column (an Excel round trip). Throws naming the line on anything else.
 */
export function parseAlgoSpaceTimestamp(text: string, where: string): number {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (match === null)
    throw new Error(`${where}: expected a day-first timestamp, got ${JSON.stringify(text)}`);
  const [, day, month, year, hour, minute, second] = match;
  return Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second ?? 0),
  );
}

const parsed = new Map<string, CsvBar[]>();

/**
 * Reads every bar of an AlgoSpace 30-minute export, in file order (strictly increasing timestamps). Parsed
 * once per file and test worker; the result is shared, so callers must not mutate it.
 */
export function readAlgoSpaceBars(file: string): CsvBar[] {
  const cached = parsed.get(file);
  if (cached !== undefined) return cached;
  const lines = readMarketDataLines(file);
  const bars: CsvBar[] = [];
  for (let i = 1; i < lines.length; i++) {
    const where = `${file}:${i + 1}`;
    const fields = (lines[i] as string).trim().split(',');
    if (fields.length !== 6) throw new Error(`${where}: expected 6 fields, got ${fields.length}`);
    const [open, high, low, close, volume] = fields.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (![open, high, low, close, volume].every(Number.isFinite)) {
      throw new Error(`${where}: expected numeric OHLCV, got ${JSON.stringify(lines[i])}`);
    }
    bars.push({
      timestamp: parseAlgoSpaceTimestamp(fields[0] as string, where),
      timeframe: '30m',
      open,
      high,
      low,
      close,
      volume,
      synthetic: false,
      tickCount: 0,
    });
  }
  parsed.set(file, bars);
  return bars;
}

/**
 * The NQ 30-minute series as the two continuous segments either side of its bad stretch (2023-12-12 22:30
 * to 2024-06-14), so indicators run over each segment from a fresh start.
 */
export function readNqSegments(): [CsvBar[], CsvBar[]] {
  const bars = readAlgoSpaceBars(NQ_30_MINUTE_FILE);
  return [
    bars.filter((bar) => bar.timestamp < NQ_BAD_FROM),
    bars.filter((bar) => bar.timestamp >= NQ_BAD_UNTIL),
  ];
}
