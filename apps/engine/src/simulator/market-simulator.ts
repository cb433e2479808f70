/**
 * The built-in, seeded market simulator: the engine's embedded default data source, so the first command
 * on a fresh machine runs the whole pipeline without any data file. Everything it produces is labelled
 * SIMULATED by the callers; nothing here pretends to be a market.
 *
 * The model, chosen to exercise every stage of the pipeline rather than to be realistic:
 * - tick arrivals are a Poisson process whose rate follows a 24-hour intraday profile (thin overnight, a
 *   burst at the 14:30 UTC open, a second burst into the 21:00 UTC close, the U shape of index futures),
 *   scaled up in volatile regimes;
 * - the latent mid price is a geometric random walk whose volatility switches between calm, normal and
 *   volatile regimes and whose drift switches between down, flat and up trends (both Markov chains that
 *   are stepped once per simulated minute);
 * - printed prices are the mid rounded to the tick size; trade sizes are geometric with a mean that follows
 *   the intraday profile.
 */
import type { Tick } from '@algospace/bars';

/**
 * The volatility regime the simulator is in.
 *
 * @example
 * ```ts
 * const regime: SimulatedVolatility = simulator.volatility; // 'calm' | 'normal' | 'volatile'
 * ```
 */
export type SimulatedVolatility = 'calm' | 'normal' | 'volatile';
/**
 * The trend regime the simulator is in.
 *
 * @example
 * ```ts
 * const trend: SimulatedTrend = simulator.trend; // 'down' | 'flat' | 'up'
 * ```
 */
export type SimulatedTrend = 'down' | 'flat' | 'up';

/**
 * Options of {@link createMarketSimulator}; every field has a default.
 *
 * @example
 * ```ts
 * const options: MarketSimulatorOptions = { seed: 7, days: 2 };
 * ```
 */
export interface MarketSimulatorOptions {
  /** PRNG seed; equal seeds give identical tick streams. Default 42. */
  readonly seed?: number;
  /** UTC epoch ms of the first simulated instant. Default 2024-01-08T00:00Z (a Monday). */
  readonly startTime?: number;
  /** Simulated days to produce; `Infinity` never ends (paper mode). Default 20. */
  readonly days?: number;
  /** Starting price. Default 4800. */
  readonly initialPrice?: number;
  /** Price grid. Default 0.25. */
  readonly tickSize?: number;
  /** Average tick arrivals per second at profile level 1 in the normal regime. Default 0.2. */
  readonly ticksPerSecond?: number;
  /** Annualised volatility of the normal regime (252 days of 24 h). Default 0.3. */
  readonly annualVolatility?: number;
}

/**
 * A pull-based stream of simulated ticks in time order.
 *
 * @example
 * ```ts
 * const simulator = createMarketSimulator({ days: 1 });
 * for (let tick = simulator.next(); tick !== undefined; tick = simulator.next()) console.log(tick.price);
 * ```
 */
export interface MarketSimulator {
  /** The next tick, or `undefined` once `days` have been simulated. */
  next(): Tick | undefined;
  /** UTC epoch ms at which the simulation ends (`Infinity` for an endless one). */
  readonly endTime: number;
  /** The volatility regime at the last generated tick. */
  readonly volatility: SimulatedVolatility;
  /** The trend regime at the last generated tick. */
  readonly trend: SimulatedTrend;
}

/**
 * The default start: a Monday, so a few simulated days read like a trading week.
 *
 * @example
 * ```ts
 * new Date(DEFAULT_SIMULATION_START).toISOString(); // '2024-01-08T00:00:00.000Z'
 * ```
 */
export const DEFAULT_SIMULATION_START = Date.UTC(2024, 0, 8, 0, 0, 0);

const volatilityScale: Record<SimulatedVolatility, number> = { calm: 0.55, normal: 1, volatile: 2.3 };
const arrivalScale: Record<SimulatedVolatility, number> = { calm: 0.7, normal: 1, volatile: 1.8 };
// Per-minute regime transition probabilities: regimes last roughly one to six hours.
const volatilityTransitions: Record<SimulatedVolatility, readonly [SimulatedVolatility, number][]> = {
  calm: [['normal', 1 / 240]],
  normal: [
    ['calm', 1 / 300],
    ['volatile', 1 / 400],
  ],
  volatile: [['normal', 1 / 90]],
};
const trendDrift: Record<SimulatedTrend, number> = { down: -1, flat: 0, up: 1 };
const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The intraday activity level at a UTC time of day (hours, 0–24): about 0.25 overnight, peaking near 2.4
 * at the 14:30 open and 1.9 into the 21:00 close.
 *
 * @example
 * ```ts
 * intradayProfile(14.5) > intradayProfile(3); // true
 * ```
 */
export function intradayProfile(hourOfDay: number): number {
  const open = (hourOfDay - 14.5) / 0.75;
  const close = (hourOfDay - 20.8) / 0.6;
  const session = hourOfDay >= 14.5 && hourOfDay < 21 ? 0.55 : 0;
  return 0.25 + session + 1.6 * Math.exp(-open * open) + 1.1 * Math.exp(-close * close);
}

/**
 * Creates a seeded market simulator.
 *
 * @example
 * ```ts
 * const simulator = createMarketSimulator({ seed: 1, days: 1 });
 * const first = simulator.next(); // { timestamp: 1704672000…, price: 4800…, size: … }
 * ```
 */
export function createMarketSimulator(options: MarketSimulatorOptions = {}): MarketSimulator {
  const tickSize = options.tickSize ?? 0.25;
  const baseRate = (options.ticksPerSecond ?? 0.2) / 1000; // per millisecond
  const startTime = options.startTime ?? DEFAULT_SIMULATION_START;
  const days = options.days ?? 20;
  const endTime = Number.isFinite(days) ? startTime + days * DAY : Number.POSITIVE_INFINITY;
  // Volatility per √ms from an annual figure over 252 days of 24 hours.
  const sigmaPerSqrtMs = (options.annualVolatility ?? 0.3) / Math.sqrt(252 * DAY);
  // A trend moves the price by about 0.6 % per day at full strength.
  const driftPerMs = 0.006 / DAY;
  const random = mulberry32(options.seed ?? 42);
  let spareNormal = Number.NaN;
  const normal = (): number => {
    if (!Number.isNaN(spareNormal)) {
      const value = spareNormal;
      spareNormal = Number.NaN;
      return value;
    }
    const u = 1 - random();
    const v = random();
    const radius = Math.sqrt(-2 * Math.log(u));
    spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };

  let logMid = Math.log(options.initialPrice ?? 4800);
  let time = startTime;
  let nextRegimeStep = startTime;
  let volatility: SimulatedVolatility = 'normal';
  let trend: SimulatedTrend = 'flat';
  let profile = intradayProfile(0);

  const stepRegimes = (): void => {
    for (const [target, probability] of volatilityTransitions[volatility]) {
      if (random() < probability) {
        volatility = target;
        break;
      }
    }
    if (random() < 1 / 180) {
      const roll = random();
      trend = roll < 1 / 3 ? 'down' : roll < 2 / 3 ? 'flat' : 'up';
    }
    profile = intradayProfile((((nextRegimeStep % DAY) + DAY) % DAY) / 3_600_000);
    nextRegimeStep += MINUTE;
  };

  return {
    endTime,
    get volatility() {
      return volatility;
    },
    get trend() {
      return trend;
    },
    next() {
      for (;;) {
        while (time >= nextRegimeStep) stepRegimes();
        const rate = baseRate * profile * arrivalScale[volatility];
        const wait = Math.max(1, Math.round(-Math.log(1 - random()) / rate));
        // A wait that crosses a regime step is redrawn from the step with the new rate (memoryless arrivals).
        if (time + wait > nextRegimeStep) {
          time = nextRegimeStep;
          if (time >= endTime) return undefined;
          continue;
        }
        time += wait;
        if (time >= endTime) return undefined;
        const sigma = sigmaPerSqrtMs * volatilityScale[volatility];
        logMid += trendDrift[trend] * driftPerMs * wait - 0.5 * sigma * sigma * wait;
        logMid += sigma * Math.sqrt(wait) * normal();
        const price = Math.max(tickSize, Math.round(Math.exp(logMid) / tickSize) * tickSize);
        const meanSize = 2 + 3 * profile;
        const size = 1 + Math.floor(-Math.log(1 - random()) * meanSize);
        return { timestamp: time, price, size };
      }
    },
  };
}

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; enough for a simulator, never for secrets. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
