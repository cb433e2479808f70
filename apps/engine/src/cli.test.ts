import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './cli.js';

describe('algospace backtest', () => {
  it('writes results.json with bar counts consistent with the simulated span', async () => {
    const out = mkdtempSync(join(tmpdir(), 'algospace-cli-'));
    expect(await main(['backtest', '--out', out, '--days', '1'])).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.ticks.accepted).toBeGreaterThan(0);
    // one simulated day holds 288 five-minute and 48 thirty-minute buckets; the last one stays open
    expect(results.bars['5m']).toBe(287);
    expect(results.bars['30m']).toBe(47);
  });
});
