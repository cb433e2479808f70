/**
 * The run mode shared by the kernel, its components and the application's config schema, and a reusable zod
 * fragment for the kernel's own settings (mode, logging, monitoring).
 */
import { z } from 'zod';

/**
 * The modes an AlgoSpace application runs in: replaying history, trading a live feed on paper, or live.
 *
 * @example
 * ```ts
 * const mode: KernelMode = 'paper';
 * ```
 */
export type KernelMode = 'backtest' | 'paper' | 'live';

/**
 * Every {@link KernelMode}, in order of increasing risk.
 *
 * @example
 * ```ts
 * KERNEL_MODES.includes('live'); // true
 * ```
 */
export const KERNEL_MODES: readonly KernelMode[] = ['backtest', 'paper', 'live'];

/**
 * Zod schema of the `mode` field, for an application's config schema.
 *
 * @example
 * ```ts
 * const schema = z.object({ mode: modeSchema.default('backtest') });
 * ```
 */
export const modeSchema = z.enum(['backtest', 'paper', 'live']);

/**
 * Zod schema of the kernel's own settings; spread `kernelSettingsShape` into an application's config object so
 * `mode`, `logging` and `monitoring` are validated, defaulted and typed the same way in every app.
 *
 * Defaults: `mode: backtest`, `logging: { level: info, format: auto }`,
 * `monitoring: { enabled: true, host: 127.0.0.1, port: 9090 }`.
 *
 * @example
 * ```ts
 * const schema = z.object({ ...kernelSettingsShape, risk: z.object({ max_position: z.number() }) });
 * const config = loadConfig({ path: 'config/settings.yaml', schema });
 * const kernel = createKernel(kernelOptionsFromSettings(config));
 * ```
 */
export const kernelSettingsShape = {
  mode: modeSchema.default('backtest'),
  logging: z
    .object({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      format: z.enum(['json', 'pretty', 'auto']).default('auto'),
    })
    .prefault({}),
  monitoring: z
    .object({
      enabled: z.boolean().default(true),
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(9090),
    })
    .prefault({}),
};

/**
 * The kernel settings as {@link kernelSettingsShape} outputs them.
 *
 * @example
 * ```ts
 * const settings: KernelSettings = {
 *   mode: 'paper',
 *   logging: { level: 'info', format: 'json' },
 *   monitoring: { enabled: true, host: '127.0.0.1', port: 9090 },
 * };
 * ```
 */
export interface KernelSettings {
  /** Run mode. */
  readonly mode: KernelMode;
  /** Log level and format (`auto`: human-readable in a TTY, JSON otherwise). */
  readonly logging: { readonly level: LogLevel; readonly format: LogFormat };
  /** The monitoring HTTP server (`/metrics`, `/health`, `/ready`). */
  readonly monitoring: { readonly enabled: boolean; readonly host: string; readonly port: number };
}

/**
 * Pino log levels accepted in config (`silent` disables logging).
 *
 * @example
 * ```ts
 * const level: LogLevel = 'debug';
 * ```
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Log line format: newline-delimited JSON, human-readable, or `auto` (human-readable when stdout is a TTY).
 *
 * @example
 * ```ts
 * const format: LogFormat = 'json';
 * ```
 */
export type LogFormat = 'json' | 'pretty' | 'auto';

/**
 * `z.object(kernelSettingsShape)`: the kernel settings alone, for apps whose config holds nothing else.
 *
 * @example
 * ```ts
 * const settings = loadConfig({ text: 'mode: paper\n', schema: kernelSettingsSchema });
 * settings.monitoring.port; // 9090
 * ```
 */
export const kernelSettingsSchema = z.object(kernelSettingsShape);
