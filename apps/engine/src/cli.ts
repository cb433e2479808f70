/**
 * The `algospace` command line: `backtest`, `paper`, `run`, `serve-feed` and `validate-config`, each with
 * `--help`. `main(argv)` resolves to the process exit code and never calls `process.exit`, so tests drive
 * it in-process.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '@algospace/kernel';
import type { DataSource } from './components/data-handler.js';
import type { BrokerAdapter } from './components/execution-handler.js';
import { type EngineConfig, loadEngineConfig } from './config/engine-config.js';
import { type FeedServerOptions, startFeedServer } from './data/feed-server.js';
import { EngineError } from './engine-error.js';
import { describeError, runEngine } from './engine-run.js';
import type { PipelineMode, PipelineRole } from './pipeline.js';
import { parseRedisTransportUrl } from './transport/transport-config.js';

const HELP: Record<string, string> = {
  main: `Usage: algospace <command> [options]

Commands:
  backtest          replay a tick or bar file (or the built-in simulator) through the pipeline
  paper             paper-trade a live feed (the simulator or a WebSocket feed) until SIGINT/SIGTERM
  run               run in the mode set by system.mode in the config
  serve-feed        replay a tick file as a WebSocket feed on loopback
  validate-config   check a settings file; prints one "path: problem" line per error

Run 'algospace <command> --help' for the options of a command.`,
  backtest: `Usage: algospace backtest [--data FILE] [--out DIR] [--config FILE] [options]

Replays FILE (CSV with a header, .gz, or NDJSON; trades, quotes or bars) through all eleven components and
writes DIR/results.json and DIR/report.html. Without --data it runs the built-in market simulator (its output
is labelled SIMULATED).

Options:
  --data FILE                 input file (default: data_handler.file, else the simulator)
  --out DIR                   output directory (default: output.dir, 'out')
  --config FILE               settings file (default: the engine's config/settings.yaml)
  --bad-rows fail|skip        bad-row policy (default: data_handler.bad_rows.policy)
  --days N                    simulated days (simulator only; default data_handler.simulator.days)
  --seed N                    simulator seed (default data_handler.simulator.seed)
  --progress auto|bar|lines|off   progress display on stderr (default auto: a bar on a TTY)
  --metrics-port P            serve /metrics, /health, /ready on port P while running (0 = any)
  --role all|ingest|strategy  which part of the pipeline this process runs (default all)
  --transport-redis URL       Redis connecting split roles: one redis:// (or rediss://) URL, or the
                              node URLs of a Redis Cluster separated by commas (redis://h1:6379,redis://h2:6379)
  -h, --help                  show this help`,
  paper: `Usage: algospace paper --feed sim|ws://HOST:PORT [--speed N] [--metrics-port P] [options]

Paper-trades a live feed with simulated fills until SIGINT/SIGTERM (or until a finite WebSocket feed ends),
then shuts down gracefully, writes DIR/results.json and DIR/report.html and exits 0.

Options:
  --feed sim|URL              the built-in simulator in real time, or a JSON tick feed (default data_handler.feed.url)
  --speed N                   simulator speed as a multiple of real time (default data_handler.feed.speed)
  --metrics-port P            port of /metrics, /health and /ready (default monitoring.port; 0 = any)
  --out DIR                   output directory (default output.dir)
  --config FILE               settings file
  --seed N                    simulator seed
  --role all|ingest|strategy  which part of the pipeline this process runs (default all)
  --transport-redis URL       Redis connecting split roles: one redis:// (or rediss://) URL, or the
                              node URLs of a Redis Cluster separated by commas (redis://h1:6379,redis://h2:6379)
  -h, --help                  show this help`,
  run: `Usage: algospace run [--config FILE] [--data FILE] [--out DIR] [--metrics-port P]

Runs in system.mode of the config: backtest (data_handler.file or the simulator), paper
(data_handler.feed.url) or live (needs execution.adapter; without one it refuses to start).

Options:
  --config FILE   settings file
  --data FILE     input file (backtest)
  --out DIR       output directory
  --metrics-port P  monitoring port
  --role all|ingest|strategy, --transport-redis URL[,URL...]  as for backtest
  -h, --help      show this help`,
  'serve-feed': `Usage: algospace serve-feed --data FILE [--speed N] [--port P] [--host H] [--config FILE]

Replays a tick file (trades or quotes; CSV, .gz or NDJSON) as a JSON WebSocket feed at N times real time,
for 'algospace paper --feed ws://HOST:PORT'. Stops on SIGINT/SIGTERM.

Options:
  --data FILE       tick file (required)
  --speed N         replay speed; 'max' sends as fast as the socket takes it (default 1)
  --port P          port (default 8765; 0 = any free port)
  --host H          bind address (default 127.0.0.1)
  --config FILE     settings file for the data_handler section (columns, timestamps, bad rows)
  --drop-after N    testing aid: drop each client's first connection after N ticks
  -h, --help        show this help`,
  'validate-config': `Usage: algospace validate-config FILE

Validates FILE against the engine's settings schema. Exits 0 when valid; otherwise prints one
"path: problem" line per error and exits 1.`,
};

/**
 * Runs the CLI with `argv` (without node and the script) and resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['backtest', '--out', 'out']);
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP.main);
    return command === undefined ? 1 : 0;
  }
  if (!(command in HELP) || command === 'main') {
    console.error(`algospace: unknown command '${command}'\n\n${HELP.main}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(HELP[command]);
    return 0;
  }
  try {
    switch (command) {
      case 'validate-config':
        return validateConfig(rest);
      case 'serve-feed':
        return await serveFeed(rest);
      default:
        return await runCommand(command as 'backtest' | 'paper' | 'run', rest);
    }
  } catch (error) {
    if (ConfigError.isInstance(error)) {
      console.error(`algospace: invalid configuration\n${formatConfigIssues(error)}`);
      return 1;
    }
    if (isArgumentError(error)) {
      console.error(`algospace ${command}: ${(error as Error).message}\n\n${HELP[command]}`);
      return 1;
    }
    console.error(`algospace: ${describeError(error)}`);
    return 1;
  }
}

function formatConfigIssues(error: ConfigError): string {
  return error.issues
    .map((issue) => `${issue.path === '' ? '(file)' : issue.path}: ${issue.message}`)
    .join('\n');
}

function isArgumentError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    (error.code.startsWith('ERR_PARSE_ARGS') || error.code === 'ENGINE_BAD_ARGUMENT')
  );
}

function validateConfig(args: readonly string[]): number {
  const [file, ...extra] = args;
  if (file === undefined || extra.length > 0) {
    console.error(`algospace validate-config: expected exactly one FILE\n\n${HELP['validate-config']}`);
    return 1;
  }
  try {
    loadEngineConfig({ path: file });
  } catch (error) {
    if (ConfigError.isInstance(error)) {
      console.log(formatConfigIssues(error));
      return 1;
    }
    throw error;
  }
  console.log(`${file}: valid`);
  return 0;
}

const sharedOptions = {
  config: { type: 'string' },
  out: { type: 'string' },
  data: { type: 'string' },
  'metrics-port': { type: 'string' },
  role: { type: 'string' },
  'transport-redis': { type: 'string' },
  seed: { type: 'string' },
} as const;

async function runCommand(command: 'backtest' | 'paper' | 'run', args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...sharedOptions,
      'bad-rows': { type: 'string' },
      days: { type: 'string' },
      progress: { type: 'string' },
      feed: { type: 'string' },
      speed: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const simulator: Record<string, number> = {};
  if (values.days !== undefined) simulator.days = numberArgument('--days', values.days);
  if (values.seed !== undefined) simulator.seed = numberArgument('--seed', values.seed);
  const feed: Record<string, unknown> = {};
  if (values.feed !== undefined) feed.url = values.feed;
  if (values.speed !== undefined) feed.speed = numberArgument('--speed', values.speed);
  const overrides = {
    ...(command === 'run' ? {} : { system: { mode: command } }),
    data_handler: {
      ...(values.data === undefined ? {} : { file: values.data }),
      ...(values['bad-rows'] === undefined ? {} : { bad_rows: { policy: values['bad-rows'] } }),
      ...(Object.keys(simulator).length === 0 ? {} : { simulator }),
      ...(Object.keys(feed).length === 0 ? {} : { feed }),
    },
    output: {
      ...(values.out === undefined ? {} : { dir: values.out }),
      ...(values.progress === undefined ? {} : { progress: values.progress }),
    },
  };
  const config = loadEngineConfig({
    ...(values.config === undefined ? {} : { path: values.config }),
    overrides,
  });
  const mode: PipelineMode = config.system.mode;
  const role = roleArgument(values.role);
  // Refused before anything starts; an empty value falls through to the missing-URL error of split roles.
  if (values['transport-redis'] !== undefined && values['transport-redis'] !== '')
    parseRedisTransportUrl('--transport-redis', values['transport-redis']);
  const metricsPort =
    values['metrics-port'] === undefined
      ? undefined
      : numberArgument('--metrics-port', values['metrics-port']);
  let brokerAdapter: BrokerAdapter | undefined;
  if (mode === 'live' && role !== 'ingest') {
    if (config.execution.adapter === '') {
      console.error(
        'algospace: live mode needs a broker adapter, found none (set execution.adapter to a module exporting ' +
          'createBrokerAdapter). Refusing to start: AlgoSpace never simulates fills in live mode; use `algospace paper`.',
      );
      return 1;
    }
    brokerAdapter = await loadBrokerAdapter(config);
  }
  const source = role === 'strategy' ? undefined : dataSource(config, mode);
  if (mode === 'backtest' && source?.type === 'simulator') {
    console.error(
      `SIMULATED data: the built-in market simulator (seed ${config.data_handler.simulator.seed}, ${config.data_handler.simulator.days} days); pass --data FILE for real data`,
    );
  }
  if (mode === 'paper' && source?.type === 'simulator') {
    console.error(
      `SIMULATED feed at ${config.data_handler.feed.speed}× real time; stop with Ctrl-C (SIGINT) or SIGTERM`,
    );
  }
  const { exitCode } = await runEngine({
    mode,
    role,
    config,
    ...(source === undefined ? {} : { source }),
    outDir: config.output.dir,
    ...(metricsPort === undefined ? {} : { metricsPort }),
    ...(values['transport-redis'] === undefined ? {} : { transportRedisUrl: values['transport-redis'] }),
    ...(brokerAdapter === undefined ? {} : { brokerAdapter }),
    onStarted: ({ monitoring }) => {
      if (monitoring !== undefined && mode !== 'backtest') {
        console.error(`monitoring: http://${monitoring.host}:${monitoring.port}/metrics, /health, /ready`);
      }
    },
  });
  return exitCode;
}

/**
 * The DataHandler source the config asks for in a mode.
 *
 * @example
 * ```ts
 * dataSource(loadEngineConfig(), 'backtest').type; // 'simulator' (no data_handler.file set)
 * ```
 */
export function dataSource(config: EngineConfig, mode: PipelineMode): DataSource {
  const handler = config.data_handler;
  if (mode !== 'backtest') {
    if (handler.feed.url === 'sim') {
      return { type: 'simulator', simulator: simulatorOptions(config), realtimeSpeed: handler.feed.speed };
    }
    if (!/^wss?:\/\//.test(handler.feed.url)) {
      throw new EngineError(
        'ENGINE_BAD_ARGUMENT',
        `--feed: expected 'sim' or a ws:// URL, got '${handler.feed.url}'`,
      );
    }
    return {
      type: 'websocket',
      url: handler.feed.url,
      reconnect: {
        initialMs: handler.feed.reconnect_initial_ms,
        maxMs: handler.feed.reconnect_max_ms,
        maxAttempts: handler.feed.max_reconnects,
      },
    };
  }
  if (handler.file === '') return { type: 'simulator', simulator: simulatorOptions(config) };
  return { type: 'file', read: readOptions(config, handler.file), barLabel: handler.bar_input.label };
}

function simulatorOptions(config: EngineConfig) {
  const sim = config.data_handler.simulator;
  return {
    seed: sim.seed,
    days: sim.days,
    initialPrice: sim.initial_price,
    tickSize: sim.tick_size,
    ticksPerSecond: sim.ticks_per_second,
    annualVolatility: sim.annual_volatility,
  };
}

function readOptions(config: EngineConfig, path: string): FeedServerOptions['read'] {
  const handler = config.data_handler;
  const columns = Object.fromEntries(
    Object.entries(handler.columns).filter(([, value]) => value !== undefined),
  );
  return {
    path: resolve(path),
    layout: {
      format: handler.format,
      kind: handler.kind,
      delimiter: handler.delimiter,
      header: handler.header,
      columns,
      symbol: handler.symbol_filter ?? undefined,
    },
    timestamp: { format: handler.timestamp.format, timezone: handler.timestamp.timezone },
    badRows: { policy: handler.bad_rows.policy, maxExamples: handler.bad_rows.max_examples },
    barTimeframe: handler.bar_input.timeframe,
  };
}

async function serveFeed(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      data: { type: 'string' },
      speed: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      'drop-after': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.data === undefined) {
    throw Object.assign(new Error('--data FILE is required'), { code: 'ENGINE_BAD_ARGUMENT' });
  }
  const config = loadEngineConfig(values.config === undefined ? {} : { path: values.config });
  const speed =
    values.speed === undefined || values.speed === 'max'
      ? values.speed === 'max'
        ? Number.POSITIVE_INFINITY
        : 1
      : numberArgument('--speed', values.speed);
  if (speed <= 0)
    throw new EngineError(
      'ENGINE_BAD_ARGUMENT',
      `--speed: expected a positive number or 'max', got '${values.speed}'`,
    );
  const server = await startFeedServer({
    read: readOptions(config, values.data),
    speed,
    host: values.host ?? '127.0.0.1',
    port: values.port === undefined ? 8765 : numberArgument('--port', values.port),
    ...(values['drop-after'] === undefined
      ? {}
      : { dropAfter: numberArgument('--drop-after', values['drop-after']) }),
    onLog: (message) => console.error(message),
  });
  // The URL on stdout (alone on its line) lets scripts and tests pick up an ephemeral port.
  console.log(`serving ${values.data} at ${server.url} (speed ${speed})`);
  await new Promise<void>((resolveSignal) => {
    process.once('SIGINT', () => resolveSignal());
    process.once('SIGTERM', () => resolveSignal());
  });
  await server.close();
  return 0;
}

async function loadBrokerAdapter(config: EngineConfig): Promise<BrokerAdapter> {
  const specifier = config.execution.adapter;
  const module = (await import(
    specifier.startsWith('.') || specifier.startsWith('/')
      ? pathToFileURL(resolve(specifier)).href
      : specifier
  )) as {
    createBrokerAdapter?: (config: EngineConfig) => BrokerAdapter | Promise<BrokerAdapter>;
  };
  if (typeof module.createBrokerAdapter !== 'function') {
    throw new EngineError(
      'ENGINE_BAD_ADAPTER',
      `execution.adapter: expected '${specifier}' to export createBrokerAdapter(config), found none`,
    );
  }
  return module.createBrokerAdapter(config);
}

function numberArgument(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new EngineError('ENGINE_BAD_ARGUMENT', `${flag}: expected a non-negative number, got '${text}'`);
  }
  return value;
}

function roleArgument(text: string | undefined): PipelineRole {
  if (text === undefined) return 'all';
  if (text === 'all' || text === 'ingest' || text === 'strategy') return text;
  throw new EngineError('ENGINE_BAD_ARGUMENT', `--role: expected all, ingest or strategy, got '${text}'`);
}
