/**
 * Builds the engine's component list for a mode and a process role, in the one place that knows the
 * wiring. `all` runs the eleven components in one process; `ingest` runs DataHandler + BarGenerator (ticks
 * in, bars out); `strategy` runs IndicatorEngine through ExecutionHandler (bars in, trades out). A bus
 * transport between the two roles (e.g. Redis Streams) is added to the list by its own component.
 */
import type { IndicatorEngineOptions } from '@algospace/indicators';
import { type BarGeneratorComponent, createBarGeneratorComponent } from './components/bar-generator.js';
import {
  createDataHandlerComponent,
  type DataHandlerComponent,
  type DataSource,
} from './components/data-handler.js';
import {
  createDecisionCoreComponent,
  type DecisionCoreComponent,
  type DecisionPolicy,
  RuleBasedDecisionPolicy,
} from './components/decision-core.js';
import type { EngineComponent } from './components/engine-component.js';
import { COMPONENT_NAMES } from './components/engine-component.js';
import {
  type BrokerAdapter,
  createExecutionHandlerComponent,
  type ExecutionHandlerComponent,
} from './components/execution-handler.js';
import {
  createIndicatorEngineComponent,
  type IndicatorEngineComponent,
} from './components/indicator-engine.js';
import { createMatrixAssemblerComponent } from './components/matrix-assembler.js';
import { MatrixAssembler5m } from './components/matrix-assembler-5m.js';
import { MatrixAssembler30m } from './components/matrix-assembler-30m.js';
import { MatrixAssemblerRegime } from './components/matrix-assembler-regime.js';
import { createRegimeDetectorComponent, type RegimeModel } from './components/regime-detector.js';
import { createRiskManagerComponent, type RiskManagerComponent } from './components/risk-manager.js';
import { createSynergyDetectorComponent, type SynergyDetector } from './components/synergy-detector.js';
import { camelCaseKeys, type EngineConfig } from './config/engine-config.js';
import { addRedisTransport } from './transport/redis-transport.js';

/**
 * Which part of the pipeline this process runs.
 *
 * @example
 * ```ts
 * const role: PipelineRole = 'ingest'; // DataHandler + BarGenerator only
 * ```
 */
export type PipelineRole = 'all' | 'ingest' | 'strategy';

/**
 * The run mode (the kernel's).
 *
 * @example
 * ```ts
 * const mode: PipelineMode = 'paper';
 * ```
 */
export type PipelineMode = 'backtest' | 'paper' | 'live';

/**
 * Options of {@link buildPipeline}.
 *
 * @example
 * ```ts
 * const pipeline = buildPipeline({ mode: 'backtest', role: 'all', config, source: { type: 'simulator', simulator: {} } });
 * ```
 */
export interface PipelineOptions {
  /** backtest, paper or live. */
  readonly mode: PipelineMode;
  /** Which components this process runs. Default `all`. */
  readonly role?: PipelineRole;
  /** The validated configuration. */
  readonly config: EngineConfig;
  /** The input (needed by `all` and `ingest`). */
  readonly source?: DataSource;
  /** Replaces the rule-based decision policy (e.g. a learned one). */
  readonly policy?: DecisionPolicy;
  /** Replaces the rule-based regime model. */
  readonly regimeModel?: RegimeModel;
  /** Live mode: the broker adapter. */
  readonly brokerAdapter?: BrokerAdapter;
  /** Redis URL of the bus transport between split roles (see the transport-redis package). */
  readonly transportRedisUrl?: string;
}

/**
 * The components of one process and typed handles on the ones results are read from (absent when the role
 * does not run them).
 *
 * @example
 * ```ts
 * const { components, handles } = buildPipeline(options);
 * for (const component of components) kernel.register(component);
 * ```
 */
export interface Pipeline {
  /** In registration order. */
  readonly components: readonly EngineComponent[];
  /** Typed access to individual components. */
  readonly handles: {
    readonly dataHandler?: DataHandlerComponent;
    readonly barGenerator?: BarGeneratorComponent;
    readonly indicatorEngine?: IndicatorEngineComponent;
    readonly synergyDetector?: { readonly detector: SynergyDetector };
    readonly riskManager?: RiskManagerComponent;
    readonly decisionCore?: DecisionCoreComponent;
    readonly executionHandler?: ExecutionHandlerComponent;
  };
}

/**
 * Builds the component list for a mode and role from the configuration.
 *
 * @example
 * ```ts
 * const { components } = buildPipeline({ mode: 'paper', role: 'ingest', config, source, transportRedisUrl: 'redis://127.0.0.1:6379' });
 * components.map((c) => c.name); // ['redis-transport', 'data-handler', 'bar-generator']
 * ```
 */
export function buildPipeline(options: PipelineOptions): Pipeline {
  const { config, mode } = options;
  const role = options.role ?? 'all';
  const components: EngineComponent[] = [];
  const handles: { -readonly [K in keyof Pipeline['handles']]: Pipeline['handles'][K] } = {};
  const ingest = role === 'all' || role === 'ingest';
  const strategy = role === 'all' || role === 'strategy';

  if (strategy) {
    // Registered first so that it is stopped last: open positions are still closed at END_OF_STREAM while
    // the other components shut down.
    const execution = createExecutionHandlerComponent({
      slippageTicks: config.execution.slippage_ticks,
      tickSize: config.execution.tick_size,
      commissionPerContract: config.execution.commission_per_contract,
      pointValue: config.risk_management.point_value,
      maxHoldingBars: config.execution.max_holding_bars,
      ...(options.brokerAdapter === undefined ? {} : { adapter: options.brokerAdapter }),
    });
    handles.executionHandler = execution;
    components.push(execution);
  }

  if (ingest) {
    if (options.source === undefined) throw new Error('buildPipeline: the ingest role needs a data source');
    const data = createDataHandlerComponent({
      source: options.source,
      flushAtEnd: config.bars.flush_at_end,
      gapFill: config.bars.gap_fill,
    });
    const bars = createBarGeneratorComponent({
      gapFill: config.bars.gap_fill,
      flushAtEnd: config.bars.flush_at_end,
      advanceIntervalMs: config.bars.advance_interval_ms,
      ...(mode === 'backtest' ? {} : { clock: data.clock }),
    });
    handles.dataHandler = data;
    handles.barGenerator = bars;
    components.push(data, bars);
  }

  if (strategy) {
    const indicators = createIndicatorEngineComponent(indicatorOptions(config));
    const matrices = config.matrix_assemblers;
    const regimeAssembler = new MatrixAssemblerRegime({
      windowSize: matrices.regime.window_size,
      warmupPeriod: matrices.regime.warmup_period,
    });
    const regimeAssemblerComponent = createMatrixAssemblerComponent(regimeAssembler, {
      name: COMPONENT_NAMES.matrixRegime,
    });
    const regime = createRegimeDetectorComponent({
      name: COMPONENT_NAMES.regimeDetector,
      assembler: regimeAssembler,
      dependsOn: [COMPONENT_NAMES.matrixRegime],
      ...(options.regimeModel === undefined ? {} : { model: options.regimeModel }),
    });
    const synergy = createSynergyDetectorComponent({
      name: COMPONENT_NAMES.synergyDetector,
      detector: camelCaseKeys(config.synergy_detector) as Record<string, number>,
    });
    const risk = createRiskManagerComponent({
      accountEquity: config.risk_management.account_equity,
      riskPerTrade: config.risk_management.risk_per_trade,
      pointValue: config.risk_management.point_value,
      atrPeriod: config.risk_management.atr_period,
      stopAtrMultiple: config.risk_management.stop_atr_multiple,
      rewardRiskRatio: config.risk_management.reward_risk_ratio,
      maxPosition: config.risk_management.max_position,
      maxDailyLoss: config.risk_management.max_daily_loss,
      maxDrawdown: config.risk_management.max_drawdown,
    });
    const regimeEnabled = config.regime_detector.enabled;
    const decision = createDecisionCoreComponent({
      policy:
        options.policy ??
        new RuleBasedDecisionPolicy({
          minPatternQuality: config.decision_core.min_pattern_quality,
          allowedRegimes: config.decision_core.allowed_regimes,
          minRegimeConfidence: config.decision_core.min_regime_confidence,
        }),
      assessRisk: (request) => risk.assess(request),
      latestRegime: () => (regimeEnabled ? regime.latest : undefined),
    });
    handles.indicatorEngine = indicators;
    handles.synergyDetector = synergy;
    handles.riskManager = risk;
    handles.decisionCore = decision;
    components.push(
      indicators,
      createMatrixAssemblerComponent(
        new MatrixAssembler30m({
          windowSize: matrices['30m'].window_size,
          warmupPeriod: matrices['30m'].warmup_period,
        }),
        { name: COMPONENT_NAMES.matrix30m },
      ),
      createMatrixAssemblerComponent(
        new MatrixAssembler5m({
          windowSize: matrices['5m'].window_size,
          warmupPeriod: matrices['5m'].warmup_period,
        }),
        { name: COMPONENT_NAMES.matrix5m },
      ),
      regimeAssemblerComponent,
      ...(regimeEnabled ? [regime] : []),
      synergy,
      risk,
      decision,
    );
  }

  addRedisTransport({ role, config, components, handles, url: options.transportRedisUrl });
  return { components, handles };
}

/**
 * The indicator engine options from the `indicators` config section (snake_case keys → the package's
 * camelCase options).
 *
 * @example
 * ```ts
 * indicatorOptions(config).lvn; // e.g. { binSize: 0.01 }
 * ```
 */
export function indicatorOptions(config: EngineConfig): IndicatorEngineOptions {
  const section = config.indicators;
  return {
    mlmi: camelCaseKeys(section.mlmi) as IndicatorEngineOptions['mlmi'] & object,
    nwrqk: camelCaseKeys(section.nwrqk) as IndicatorEngineOptions['nwrqk'] & object,
    fvg: camelCaseKeys(section.fvg) as IndicatorEngineOptions['fvg'] & object,
    lvn: camelCaseKeys(section.lvn) as IndicatorEngineOptions['lvn'] & object,
    mmd: camelCaseKeys(section.mmd) as IndicatorEngineOptions['mmd'] & object,
  };
}
