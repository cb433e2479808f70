/**
 * Runs the engine once: builds the pipeline for the mode and role, composes it in a kernel (lifecycle,
 * health, metrics), records what happens on the bus, waits for the input to end (backtest, finite feeds)
 * or for SIGINT/SIGTERM (paper, live), shuts down gracefully and writes results.json, report.html and the
 * summary table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ComponentError, createKernel, createKernelLogger } from '@algospace/kernel';
import type { DataSource } from './components/data-handler.js';
import type { DecisionPolicy } from './components/decision-core.js';
import type { BrokerAdapter } from './components/execution-handler.js';
import type { RegimeModel } from './components/regime-detector.js';
import type { EngineConfig } from './config/engine-config.js';
import { EngineError } from './engine-error.js';
import type { EngineEvents } from './events.js';
import { startProgress } from './output/progress-reporter.js';
import { createRunRecorder } from './output/run-recorder.js';
import { buildResults, type RunResults } from './output/run-results.js';
import { formatSummary } from './output/summary-table.js';
import { buildPipeline, type PipelineMode, type PipelineRole } from './pipeline.js';
import type { ReportData } from './report/report-data.js';
import { writeReport } from './report/write-report.js';

/**
 * Options of {@link runEngine}.
 *
 * @example
 * ```ts
 * const options: RunEngineOptions = { mode: 'backtest', config, source: { type: 'simulator', simulator: {} }, outDir: 'out' };
 * ```
 */
export interface RunEngineOptions {
  /** backtest, paper or live. */
  readonly mode: PipelineMode;
  /** Process role. Default `all`. */
  readonly role?: PipelineRole;
  /** Validated configuration. */
  readonly config: EngineConfig;
  /** The input (all and ingest roles). */
  readonly source?: DataSource;
  /** Where results.json and report.html go; no files when absent. */
  readonly outDir?: string;
  /** Monitoring port override (`--metrics-port`). */
  readonly metricsPort?: number;
  /** Redis URL of the split-process transport. */
  readonly transportRedisUrl?: string;
  /** Shut down on SIGINT/SIGTERM (paper/live). Default: true outside backtests. */
  readonly handleSignals?: boolean;
  /** Replaces the decision policy. */
  readonly policy?: DecisionPolicy;
  /** Replaces the regime model. */
  readonly regimeModel?: RegimeModel;
  /** Live mode broker adapter. */
  readonly brokerAdapter?: BrokerAdapter;
  /** Where the summary goes (default stdout) and progress/errors go (default stderr). */
  readonly stdout?: NodeJS.WritableStream;
  /** Progress and error stream. */
  readonly stderr?: NodeJS.WriteStream;
  /** Called once the kernel is running (e.g. to learn the monitoring address). */
  readonly onStarted?: (info: { readonly monitoring: { host: string; port: number } | undefined }) => void;
}

/**
 * The outcome of a run.
 *
 * @example
 * ```ts
 * const { exitCode, results } = await runEngine(options);
 * ```
 */
export interface RunOutcome {
  /** 0 on success, 1 on a failure (bad input, component failure). */
  readonly exitCode: number;
  /** The results document (also written to `outDir`). */
  readonly results: RunResults;
  /** The error that ended the run, if any. */
  readonly error?: unknown;
}

/**
 * Runs the engine to completion.
 *
 * @example
 * ```ts
 * const { exitCode } = await runEngine({ mode: 'backtest', config: loadEngineConfig(), source, outDir: 'out' });
 * process.exitCode = exitCode;
 * ```
 */
export async function runEngine(options: RunEngineOptions): Promise<RunOutcome> {
  const { config, mode } = options;
  const role = options.role ?? 'all';
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const startedAt = new Date();
  const wallStart = performance.now();
  const logger = createKernelLogger({
    level: config.logging.level,
    format: config.logging.format,
    destination: stderr,
  });
  const monitoring = config.monitoring.enabled
    ? { host: config.monitoring.host, port: options.metricsPort ?? config.monitoring.port }
    : false;
  const kernel = createKernel<EngineEvents>({ mode, logger, monitoring });
  const pipeline = buildPipeline({
    mode,
    role,
    config,
    ...(options.source === undefined ? {} : { source: options.source }),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.regimeModel === undefined ? {} : { regimeModel: options.regimeModel }),
    ...(options.brokerAdapter === undefined ? {} : { brokerAdapter: options.brokerAdapter }),
    ...(options.transportRedisUrl === undefined ? {} : { transportRedisUrl: options.transportRedisUrl }),
  });
  for (const component of pipeline.components) kernel.register(component);
  const { dataHandler, barGenerator, decisionCore, riskManager } = pipeline.handles;
  const recorder = createRunRecorder(kernel.bus, {
    startingEquity: config.risk_management.account_equity,
    fvg: (pipelineFvgOptions(config) ?? {}) as never,
    reportSeries: options.outDir !== undefined && config.output.report,
  });
  let endOfStream!: () => void;
  const streamEnded = new Promise<void>((resolveEnd) => {
    endOfStream = resolveEnd;
  });
  kernel.bus.subscribe('END_OF_STREAM', () => endOfStream());

  const handleSignals = options.handleSignals ?? (mode !== 'backtest' || role === 'strategy');
  const removeSignals = handleSignals ? kernel.installSignalHandlers({ exit: false }) : () => {};
  let failure: unknown;
  let progress: { stop(): void } = { stop() {} };
  try {
    await kernel.start();
    options.onStarted?.({ monitoring: kernel.monitoringAddress() });
    const address = kernel.monitoringAddress();
    if (address !== undefined) {
      logger.info(`monitoring on http://${address.host}:${address.port} (/metrics, /health, /ready)`);
    }
    if (dataHandler !== undefined && mode === 'backtest') {
      progress = startProgress({
        style: config.output.progress,
        stream: stderr,
        unit: options.source?.type === 'file' ? 'records' : 'ticks',
        sample: () => ({ records: dataHandler.records(), fraction: dataHandler.progress() }),
      });
    }
    if (dataHandler !== undefined) {
      await Promise.race([dataHandler.done, kernel.done]);
    } else {
      await Promise.race([streamEnded, kernel.done]);
    }
  } catch (error) {
    failure = error;
  } finally {
    progress.stop();
  }
  const shutdown = await kernel.stop(failure === undefined ? 'run complete' : 'run failed');
  removeSignals();
  recorder.close();
  if (failure === undefined && shutdown.failed)
    failure = new EngineError('ENGINE_SHUTDOWN_FAILED', shutdown.reason);

  let dataReport: Awaited<NonNullable<typeof dataHandler>['done']> | undefined;
  if (dataHandler?.started()) {
    // Every source settles `done` by the time it is stopped; the bound only keeps a defect from hanging the
    // process with nothing printed.
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      dataHandler.done.then(
        (report) => ({ report }),
        () => ({ report: undefined }),
      ),
      new Promise<undefined>((resolveTimeout) => {
        timer = setTimeout(() => resolveTimeout(undefined), 10_000);
      }),
    ]);
    clearTimeout(timer);
    if (settled === undefined) {
      failure ??= new EngineError(
        'ENGINE_SHUTDOWN_FAILED',
        'expected the data handler to report how its input ended within 10 s of stopping, got no report',
      );
    } else dataReport = settled.report ?? dataHandler.failedReport?.();
  }
  // A run that failed before the BarGenerator was initialised (or, split, before the ingest sent its counters)
  // has no bar statistics; its results then say why it failed instead of failing a second time here.
  let barStats: ReturnType<NonNullable<typeof barGenerator>['stats']> | undefined;
  if (barGenerator !== undefined && dataReport?.kind !== 'bars') {
    try {
      barStats = barGenerator.stats();
    } catch (error) {
      if (failure === undefined) throw error;
    }
  }
  const record = recorder.record();
  const wallMs = performance.now() - wallStart;
  const records = dataHandler?.records() ?? record.bars['5m'] ?? 0;
  const results = buildResults({
    mode,
    role,
    symbol: config.system.symbol,
    ...(dataReport === undefined ? {} : { data: dataReport }),
    ...(barStats === undefined ? {} : { barStats }),
    record,
    decisions: decisionCore?.decisions() ?? [],
    ...(riskManager === undefined ? {} : { risk: riskManager.state() }),
    startingEquity: config.risk_management.account_equity,
    ...(pipeline.handles.synergyDetector === undefined
      ? {}
      : { synergyStats: pipeline.handles.synergyDetector.detector.stats() }),
    timing: {
      started_at: startedAt.toISOString(),
      wall_ms: Math.round(wallMs),
      records_per_second: Math.round(records / Math.max(wallMs / 1000, 1e-9)),
      ...(dataReport?.feed === undefined
        ? {}
        : { feed_downtime_ms: dataReport.feed.gaps.reduce((sum, gap) => sum + gap.downtimeMs, 0) }),
    },
  });
  const document = failure === undefined ? results : { ...results, error: describeError(failure) };

  if (options.outDir !== undefined) {
    const out = resolve(options.outDir);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'results.json'), `${JSON.stringify(document, null, 2)}\n`);
    if (config.output.report)
      await writeReport(join(out, 'report.html'), reportData(results, record, dataReport?.label));
  }
  stdout.write(`${formatSummary(results)}\n`);
  if (options.outDir !== undefined) {
    stdout.write(
      `wrote ${join(resolve(options.outDir), 'results.json')}${config.output.report ? ' and report.html' : ''}\n`,
    );
  }
  if (failure !== undefined) {
    stderr.write(`algospace: ${describeError(failure)}\n`);
    return { exitCode: 1, results: document, error: failure };
  }
  return { exitCode: 0, results: document };
}

function pipelineFvgOptions(config: EngineConfig): unknown {
  return Object.fromEntries(
    Object.entries(config.indicators.fvg).map(([key, value]) => [
      key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
      value,
    ]),
  );
}

/**
 * One-line description of an error for the terminal and results.json: the engine's own errors print as
 * `CODE: message`, others as their message, unwrapping a kernel component error to its cause.
 *
 * @example
 * ```ts
 * describeError(new EngineError('ENGINE_BAD_ROW', 'a.csv:3: bad price')); // 'ENGINE_BAD_ROW: a.csv:3: bad price'
 * ```
 */
export function describeError(error: unknown): string {
  let current: unknown = error;
  // The kernel wraps a component's error in a ComponentError ("expected component X to init, …"); the
  // component's error says what went wrong. Only those wrappers are peeled: any other error with a cause of its
  // own (a connection error over an abort timeout, the kernel's port error over EADDRINUSE) says more than it.
  while (ComponentError.isInstance(current) && current.cause !== undefined) current = current.cause;
  if (!(current instanceof Error)) return String(current);
  // Every package's errors carry a stable `code` (KERNEL_…, TRANSPORT_REDIS_…): printed, a user can search it.
  const code = (current as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)
    ? `${code}: ${current.message}`
    : current.message;
}

function reportData(
  results: RunResults,
  record: ReturnType<ReturnType<typeof createRunRecorder>['record']>,
  label: string | undefined,
): ReportData {
  const candles = record.candles5m.length > 0 ? record.candles5m : record.candles30m;
  return {
    title: label ?? 'AlgoSpace run',
    simulated: results.run.simulated,
    subtitle: `${results.run.mode} · ${results.ticks.accepted.toLocaleString('en-US')} ${results.ticks.unit} · ${results.synergies.length} synergies · ${results.performance.filled} trades`,
    bars: candles,
    nwrqk: record.nwrqk,
    fvgZones: record.fvgZones,
    synergies: results.synergies,
    trades: results.trades,
    equity: record.equity,
    summary: [
      { label: results.ticks.unit === 'ticks' ? 'Ticks' : 'Source bars', value: results.ticks.accepted },
      { label: 'Rejected', value: results.ticks.rejected },
      { label: 'Synergies', value: results.synergies.length },
      { label: 'Trades', value: results.performance.filled },
      { label: 'Win rate', value: `${(results.performance.win_rate * 100).toFixed(1)} %` },
      { label: 'PnL', value: results.performance.pnl.toFixed(2) },
      { label: 'Max drawdown', value: results.performance.max_drawdown.toFixed(2) },
    ],
  };
}
