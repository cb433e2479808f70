import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const soakScript = fileURLToPath(new URL('./__fixtures__/soak.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface SoakReport {
  syncEvents: number;
  queuedEvents: number;
  delivered: number;
  heapGrowth: number;
  collections: { scavenge: number; markSweepCompact: number };
}

describe('soak', () => {
  it('publishes 10 million events (plus 2 million queued) without heap growth or per-event allocation', async () => {
    // A child process, because `gc()` needs --expose-gc and the measurement must not share a heap with Vitest.
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', soakScript, '10000000', '2000000'],
      { cwd: packageDir, timeout: 120_000 },
    );
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as SoakReport;
    expect(report.syncEvents).toBe(10_000_000);
    expect(report.delivered, 'every published and queued event was delivered').toBe(
      report.syncEvents + report.queuedEvents,
    );
    expect(report.heapGrowth, 'heap in use after a full GC grew by less than 1 MB').toBeLessThan(1_000_000);
    // 12 million events at even 8 bytes each would take dozens of young-generation collections.
    expect(
      report.collections.scavenge,
      'no scavenge ran: the hot path allocates nothing per event',
    ).toBeLessThanOrEqual(2);
  }, 120_000);
});
