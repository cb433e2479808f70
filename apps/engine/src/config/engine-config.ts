/**
 * The engine's configuration: the zod schema of `config/settings.yaml` (every section, every default) and
 * the loader that reads it through the kernel's `loadConfig` (YAML, `${VAR:default}`, `ALGOSPACE_…`
 * environment overrides, every problem reported as a `path: problem` line).
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@algospace/kernel';
import { z } from 'zod';
import { transportSchema } from '../transport/transport-config.js';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const count = z.number().int().positive();
const fraction = z.number().gt(0).lt(1);
const timeframe = z.string().regex(/^[1-9][0-9]*[smhd]$/, "a timeframe such as '1m', '5m' or '30m'");
const columnRef = z.union([z.string().min(1), z.number().int().nonnegative()]);

const systemSchema = z.strictObject({
  /** Instance name, used in logs and metrics. */
  name: z.string().min(1).default('algospace'),
  /** backtest | paper | live. The CLI command sets it; `run` reads it from here. */
  mode: z.enum(['backtest', 'paper', 'live']).default('backtest'),
  /** Instrument label written into results and the report. */
  symbol: z.string().min(1).default('SIM'),
});

const simulatorSchema = z.strictObject({
  seed: z.number().int().nonnegative().default(42),
  days: positive.default(20),
  initial_price: positive.default(4800),
  tick_size: positive.default(0.25),
  ticks_per_second: positive.default(0.2),
  annual_volatility: positive.default(0.3),
});

const feedSchema = z.strictObject({
  url: z.string().default('sim'),
  // Above about 1e6 a simulated day passes in under 0.1 s: nothing is paper-traded in real time any more.
  speed: positive.max(1_000_000).default(1),
  reconnect_initial_ms: count.default(250),
  reconnect_max_ms: count.default(5000),
  max_reconnects: z.number().int().nonnegative().default(20),
});

const dataHandlerSchema = z.strictObject({
  file: z.string().default(''),
  format: z.enum(['auto', 'csv', 'ndjson']).default('auto'),
  kind: z.enum(['auto', 'trades', 'quotes', 'bars']).default('auto'),
  delimiter: z.string().min(1).max(4).default('auto'),
  header: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  columns: z
    .strictObject({
      timestamp: columnRef.optional(),
      price: columnRef.optional(),
      size: columnRef.optional(),
      bid: columnRef.optional(),
      ask: columnRef.optional(),
      open: columnRef.optional(),
      high: columnRef.optional(),
      low: columnRef.optional(),
      close: columnRef.optional(),
      volume: columnRef.optional(),
    })
    .default({}),
  timestamp: z
    .strictObject({
      format: z
        .enum(['auto', 'iso', 'day-first', 'month-first', 'epoch-s', 'epoch-ms', 'epoch-us', 'epoch-ns'])
        .default('auto'),
      timezone: z.string().min(1).default('UTC'),
    })
    .default({ format: 'auto', timezone: 'UTC' }),
  symbol_filter: z.strictObject({ column: columnRef, value: z.string() }).nullable().default(null),
  bar_input: z
    .strictObject({
      // Source bars are resampled to 5m and 30m, so their timeframe must divide 30 minutes.
      timeframe: timeframe
        .refine(
          (text) => {
            const seconds =
              Number(text.slice(0, -1)) * { s: 1, m: 60, h: 3600, d: 86_400 }[text.slice(-1) as 's'];
            return seconds >= 1 && 1800 % seconds === 0;
          },
          { message: "a timeframe that divides 30 minutes, such as '1m', '5m', '15m' or '30m'" },
        )
        .default('1m'),
      label: z.enum(['start', 'end']).default('start'),
    })
    .default({ timeframe: '1m', label: 'start' }),
  bad_rows: z
    .strictObject({
      policy: z.enum(['fail', 'skip']).default('fail'),
      max_examples: z.number().int().nonnegative().default(5),
    })
    .default({ policy: 'fail', max_examples: 5 }),
  simulator: simulatorSchema.default(simulatorSchema.parse({})),
  feed: feedSchema.default(feedSchema.parse({})),
});

const barsSchema = z.strictObject({
  timeframes: z.tuple([z.literal('5m'), z.literal('30m')]).default(['5m', '30m']),
  gap_fill: z.boolean().default(true),
  flush_at_end: z.boolean().default(true),
  advance_interval_ms: count.default(250),
});

const indicatorParams = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));
const indicatorsSchema = z.strictObject({
  mlmi: indicatorParams.default({}),
  nwrqk: indicatorParams.default({}),
  fvg: indicatorParams.default({}),
  lvn: indicatorParams.default({}),
  mmd: indicatorParams.default({}),
});

const synergySchema = z.strictObject({
  mlmi_neutral: z.number().default(0),
  mlmi_scale: positive.default(200),
  mlmi_threshold: nonNegative.default(0),
  mlmi_max_strength: positive.default(1),
  nwrqk_threshold: nonNegative.default(0),
  nwrqk_max_slope: positive.default(2),
  fvg_min_size: nonNegative.default(0.001),
  fvg_max_gap_pct: positive.default(0.01),
  time_window_bars: count.default(10),
  cooldown_bars: z.number().int().nonnegative().default(5),
  bar_minutes: count.default(5),
});

const assemblerSchema = (window: number, warmup: number) =>
  z
    .strictObject({ window_size: count.default(window), warmup_period: count.default(warmup) })
    .default({ window_size: window, warmup_period: warmup });
const matrixSchema = z.strictObject({
  '30m': assemblerSchema(48, 48),
  '5m': assemblerSchema(60, 20),
  regime: assemblerSchema(96, 30),
});

const regimeSchema = z.strictObject({
  enabled: z.boolean().default(true),
});

const riskSchema = z.strictObject({
  account_equity: positive.default(100_000),
  risk_per_trade: fraction.default(0.01),
  point_value: positive.default(50),
  atr_period: count.default(14),
  stop_atr_multiple: positive.default(1.5),
  reward_risk_ratio: positive.default(2),
  max_position: count.default(5),
  max_daily_loss: positive.default(5_000),
  max_drawdown: fraction.default(0.2),
});

const decisionSchema = z.strictObject({
  min_pattern_quality: z.number().min(0).max(1).default(0),
  allowed_regimes: z
    .array(z.enum(['trending', 'ranging', 'volatile', 'unknown']))
    .default(['trending', 'ranging', 'volatile', 'unknown']),
  min_regime_confidence: z.number().min(0).max(1).default(0),
});

const executionSchema = z.strictObject({
  slippage_ticks: nonNegative.default(1),
  tick_size: positive.default(0.25),
  commission_per_contract: nonNegative.default(2.5),
  max_holding_bars: z.number().int().nonnegative().default(0),
  adapter: z.string().default(''),
});

const loggingSchema = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  format: z.enum(['auto', 'pretty', 'json']).default('auto'),
});

const monitoringSchema = z.strictObject({
  enabled: z.boolean().default(true),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
});

const outputSchema = z.strictObject({
  dir: z.string().min(1).default('out'),
  report: z.boolean().default(true),
  progress: z.enum(['auto', 'bar', 'lines', 'off']).default('auto'),
});

/**
 * The schema of `config/settings.yaml`. Every key has a default, so an empty file is a valid config.
 *
 * @example
 * ```ts
 * const config = engineConfigSchema.parse({ execution: { slippage_ticks: 2 } });
 * config.risk_management.max_position; // 5
 * ```
 */
export const engineConfigSchema = z.strictObject({
  system: systemSchema.default(systemSchema.parse({})),
  data_handler: dataHandlerSchema.default(dataHandlerSchema.parse({})),
  bars: barsSchema.default(barsSchema.parse({})),
  indicators: indicatorsSchema.default(indicatorsSchema.parse({})),
  synergy_detector: synergySchema.default(synergySchema.parse({})),
  matrix_assemblers: matrixSchema.default(matrixSchema.parse({})),
  regime_detector: regimeSchema.default(regimeSchema.parse({})),
  risk_management: riskSchema.default(riskSchema.parse({})),
  decision_core: decisionSchema.default(decisionSchema.parse({})),
  execution: executionSchema.default(executionSchema.parse({})),
  logging: loggingSchema.default(loggingSchema.parse({})),
  monitoring: monitoringSchema.default(monitoringSchema.parse({})),
  output: outputSchema.default(outputSchema.parse({})),
  transport: transportSchema.default(transportSchema.parse({})),
});

/**
 * The validated engine configuration.
 *
 * @example
 * ```ts
 * function slippage(config: EngineConfig): number {
 *   return config.execution.slippage_ticks * config.execution.tick_size;
 * }
 * ```
 */
export type EngineConfig = z.output<typeof engineConfigSchema>;

/**
 * The default settings file shipped with the engine (`apps/engine/config/settings.yaml`).
 *
 * @example
 * ```ts
 * loadEngineConfig({ path: DEFAULT_SETTINGS_PATH });
 * ```
 */
export const DEFAULT_SETTINGS_PATH = fileURLToPath(new URL('../../config/settings.yaml', import.meta.url));

/**
 * Options of {@link loadEngineConfig}.
 *
 * @example
 * ```ts
 * const options: LoadEngineConfigOptions = { path: 'my-settings.yaml', overrides: { system: { mode: 'paper' } } };
 * ```
 */
export interface LoadEngineConfigOptions {
  /** The YAML file; default {@link DEFAULT_SETTINGS_PATH}. */
  readonly path?: string;
  /** Environment for `${VAR}` and `ALGOSPACE_…` overrides; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Top layer (CLI flags), deep-merged over file and environment. */
  readonly overrides?: unknown;
}

/**
 * Loads and validates the engine configuration.
 *
 * @throws the kernel's `ConfigError` whose `issues` are `{ path, message }` pairs.
 * @example
 * ```ts
 * const config = loadEngineConfig({ path: 'config/settings.yaml' });
 * console.log(config.bars.timeframes); // ['5m', '30m']
 * ```
 */
export function loadEngineConfig(options: LoadEngineConfigOptions = {}): EngineConfig {
  return loadConfig({
    path: options.path ?? DEFAULT_SETTINGS_PATH,
    schema: engineConfigSchema,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
  });
}

/**
 * Converts `snake_case` keys to `camelCase`, deeply, so the YAML's naming maps onto the packages' options.
 *
 * @example
 * ```ts
 * camelCaseKeys({ bin_size: 0.25 }); // { binSize: 0.25 }
 * ```
 */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
      camelCaseKeys(item),
    ]),
  );
}
