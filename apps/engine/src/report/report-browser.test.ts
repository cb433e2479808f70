/**
 * The report of a real run in a real browser: the `algospace backtest` command (built-in simulator, all
 * eleven components) writes report.html; Debian's chromium (never a downloaded browser), driven by
 * playwright-core, opens it from disk with every network request blocked. The page must render without a
 * console error, list what results.json lists, and draw its charts — counted on a screenshot.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_COLORS } from './report-model.js';
import { writeReport } from './write-report.js';

const bin = fileURLToPath(new URL('../../bin/algospace.js', import.meta.url));

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

interface PixelCount {
  /** Pixels differing from the white chart background. */
  readonly ink: number;
  /** Total pixels. */
  readonly total: number;
  /** Pixels close to each requested colour. */
  readonly colors: Record<string, number>;
}

/** The few browser globals the in-page functions use (the package compiles without the DOM lib). */
interface BrowserGlobals {
  Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };
  document: {
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        drawImage(image: unknown, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      } | null;
    };
  };
  requestAnimationFrame(callback: () => void): number;
}

/**
 * Decodes a PNG screenshot in a blank page (the browser is the PNG decoder) and counts non-background
 * pixels and pixels near each given colour.
 */
async function countPixels(page: Page, png: Buffer, colors: Record<string, string>): Promise<PixelCount> {
  return page.evaluate(
    async ({ base64, targets }) => {
      const { Image, document } = globalThis as unknown as BrowserGlobals;
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      if (context === null) throw new Error('no 2d context');
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      const rgb = Object.entries(targets).map(([name, hex]) => [
        name,
        Number.parseInt(hex.slice(1, 3), 16),
        Number.parseInt(hex.slice(3, 5), 16),
        Number.parseInt(hex.slice(5, 7), 16),
      ]) as [string, number, number, number][];
      const counts: Record<string, number> = Object.fromEntries(rgb.map(([name]) => [name, 0]));
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i]!;
        const g = data[i + 1]!;
        const b = data[i + 2]!;
        if (r < 235 || g < 235 || b < 235) ink++;
        for (const [name, tr, tg, tb] of rgb) {
          if (Math.abs(r - tr) + Math.abs(g - tg) + Math.abs(b - tb) < 40) counts[name]!++;
        }
      }
      return { ink, total: data.length / 4, colors: counts };
    },
    { base64: png.toString('base64'), targets: colors },
  );
}

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI)
  throw new Error(`${CHROMIUM} is required under CI (apt-get install -y chromium)`);
if (!hasChromium)
  console.warn(`[report browser test] SKIPPING: ${CHROMIUM} not installed (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('report.html in Debian chromium', () => {
  let browser: Browser;
  let directory: string;
  let results: { synergies: unknown[]; trades: unknown[]; bars: Record<string, number> };
  let file: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'algospace-report-'));
    // 20 simulated days, seed 42: the engine's default simulator run (a few seconds).
    await promisify(execFile)(
      process.execPath,
      [bin, 'backtest', '--out', directory, '--days', '20', '--seed', '42', '--progress', 'off'],
      { timeout: 120_000 },
    );
    file = join(directory, 'report.html');
    results = JSON.parse(await readFile(join(directory, 'results.json'), 'utf8'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('renders offline with no console errors and draws candles, NW-RQK, synergies, trades and equity', async () => {
    expect(results.synergies.length, 'the run produced synergies to mark').toBeGreaterThan(0);
    expect(results.trades.length, 'the run produced trades to mark').toBeGreaterThan(0);

    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 15_000 });
    // Two animation frames: lightweight-charts paints on the next frame after setData.
    await page.evaluate(() => {
      const { requestAnimationFrame } = globalThis as unknown as BrowserGlobals;
      return new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      );
    });

    expect(errors, 'console errors').toEqual([]);
    expect(requests, 'the report must not touch the network').toEqual([]);
    expect(await page.locator('#price-chart canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#equity-chart canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#synergies tbody tr').count()).toBe(results.synergies.length);
    expect(await page.locator('#trades tbody tr').count()).toBe(results.trades.length);
    expect(await page.locator('.banner').textContent()).toContain('SIMULATED DATA');

    const priceShot = await page.locator('#price-chart').screenshot();
    // Clicking the first synergy row zooms the chart onto it: its marker must then be visible.
    const first = (results.synergies[0] as { direction: number }).direction;
    await page.locator('#synergies tbody tr').first().click();
    await page.evaluate(() => {
      const { requestAnimationFrame } = globalThis as unknown as BrowserGlobals;
      return new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      );
    });
    const zoomedShot = await page.locator('#price-chart').screenshot();
    if (process.env.REPORT_SCREENSHOT_DIR) {
      await page
        .locator('#price-chart')
        .screenshot({ path: join(process.env.REPORT_SCREENSHOT_DIR, 'zoomed.png') });
    }
    const equityShot = await page.locator('#equity-chart').screenshot();
    const blank = await browser.newPage();
    const price = await countPixels(blank, priceShot, {
      up: REPORT_COLORS.up,
      down: REPORT_COLORS.down,
      nwrqk: REPORT_COLORS.nwrqk,
    });
    const equity = await countPixels(blank, equityShot, { line: REPORT_COLORS.equity });
    const zoomed = await countPixels(blank, zoomedShot, {
      marker: first === 1 ? REPORT_COLORS.synergyLong : REPORT_COLORS.synergyShort,
      entry: REPORT_COLORS.entry,
    });
    console.log(
      'pixels: price',
      JSON.stringify(price),
      'equity',
      JSON.stringify(equity),
      'zoomed',
      JSON.stringify(zoomed),
    );
    await blank.close();
    await page.close();

    expect(price.ink / price.total, 'share of non-background pixels on the price chart').toBeGreaterThan(
      0.05,
    );
    expect(price.colors.up, 'up candles drawn').toBeGreaterThan(500);
    expect(price.colors.down, 'down candles drawn').toBeGreaterThan(500);
    expect(price.colors.nwrqk, 'NW-RQK line drawn').toBeGreaterThan(300);
    expect(equity.ink / equity.total, 'share of non-background pixels on the equity chart').toBeGreaterThan(
      0.02,
    );
    expect(equity.colors.line, 'equity line drawn').toBeGreaterThan(200);
    expect(zoomed.colors.marker, 'the first synergy marker, after clicking its row').toBeGreaterThan(80);
  });

  it('renders a run with no bars, trades or synergies without errors', async () => {
    const empty = join(directory, 'empty.html');
    await writeReport(empty, {
      title: 'empty input',
      simulated: false,
      bars: [],
      nwrqk: [],
      fvgZones: [],
      synergies: [],
      trades: [],
      equity: [],
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(pathToFileURL(empty).href);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 15_000 });
    await page.close();
    expect(errors).toEqual([]);
  });
});
