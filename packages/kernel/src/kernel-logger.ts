/**
 * The kernel's pino logger: JSON lines by default, human-readable in a TTY, secret-named keys redacted in
 * every line. Component loggers are children carrying `component: <name>`.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './kernel-mode.js';
import { redactSecrets } from './secret-redaction.js';

/**
 * How {@link createKernelLogger} builds a logger.
 *
 * @example
 * ```ts
 * const options: KernelLoggerOptions = { level: 'debug', format: 'json' };
 * ```
 */
export interface KernelLoggerOptions {
  /** Lowest level written. Default: `'info'`. */
  readonly level?: LogLevel;
  /** `json`, `pretty`, or `auto` (pretty when stdout is a TTY). Default: `'auto'`. */
  readonly format?: LogFormat;
  /** Where lines go. Default: stdout. */
  readonly destination?: DestinationStream;
}

/**
 * Creates the structured logger the kernel uses when it is not given one. Every object logged passes through
 * {@link redactSecrets}, so `{ db: { password } }` prints `[redacted]`.
 *
 * @example
 * ```ts
 * const logger = createKernelLogger({ level: 'info', format: 'json' });
 * logger.child({ component: 'feed' }).info({ url: 'wss://…', token: 't0p' }, 'connected');
 * // {"level":30,…,"component":"feed","url":"wss://…","token":"[redacted]","msg":"connected"}
 * ```
 */
export function createKernelLogger(options: KernelLoggerOptions = {}): Logger {
  const format = options.format ?? 'auto';
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  const settings: pino.LoggerOptions = {
    level: options.level ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (object) => redactSecrets(object) },
  };
  if (pretty) {
    // Synchronous pretty stream rather than a transport worker: lines are never lost on process.exit.
    const stream = pinoPretty({
      sync: true,
      colorize: process.stdout.isTTY === true,
      ignore: 'pid,hostname,component',
      messageFormat: '{if component}[{component}] {end}{msg}',
      ...(options.destination === undefined ? {} : { destination: options.destination as never }),
    });
    return pino(settings, stream);
  }
  return pino(settings, options.destination ?? stdout());
}

let stdoutDestination: DestinationStream | undefined;

/** One synchronous stdout stream for every kernel logger of the process, instead of one per logger. */
function stdout(): DestinationStream {
  stdoutDestination ??= pino.destination({ fd: 1, sync: true });
  return stdoutDestination;
}
