import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from './config-loader.js';
import { ConfigError } from './kernel-error.js';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError, it returned');
}

const loose = z.looseObject({});
const dir = mkdtempSync(join(tmpdir(), 'kernel-hostile-'));

describe('loadConfig: hostile input', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s anywhere in a file', (key) => {
    const text = `safe: 1\nnested:\n  ${key}:\n    polluted: true\nlist:\n  - ${key}: {polluted: true}\n`;
    const error = configError(() => loadConfig({ text, schema: loose, env: {} }));
    expect(error.issues.map((issue) => issue.path)).toEqual([`nested.${key}`, `list[0].${key}`]);
    expect(error.issues[0]?.message).toContain('prototype pollution');
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype untouched').toBeUndefined();
  });

  it('refuses prototype keys in environment overrides and programmatic overrides', () => {
    const schema = z.object({ risk: z.looseObject({}) });
    const overrides = JSON.parse('{"risk": {"__proto__": {"polluted": true}}}') as unknown;
    const error = configError(() =>
      loadConfig({ text: 'risk: {}\n', schema, env: { ALGOSPACE_RISK__CONSTRUCTOR: '1' }, overrides }),
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'ALGOSPACE_RISK__CONSTRUCTOR',
      'risk.__proto__',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stops an alias bomb (a billion laughs) at the alias limit instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const error = configError(() => loadConfig({ text: `${levels.join('\n')}\n`, schema: loose, env: {} }));
    expect(error.code).toBe('KERNEL_CONFIG_ALIAS_LIMIT');
    expect(error.issues[0]?.message).toBe('expected at most 100 alias expansions, got more (an alias bomb?)');
  });

  it('still accepts a modest use of anchors and aliases', () => {
    const schema = z.object({ base: z.object({ n: z.number() }), copy: z.object({ n: z.number() }) });
    expect(loadConfig({ text: 'base: &b {n: 1}\ncopy: *b\n', schema, env: {} })).toEqual({
      base: { n: 1 },
      copy: { n: 1 },
    });
  });

  it('refuses a file larger than the size limit without reading it', () => {
    const path = join(dir, 'huge.yaml');
    const handle = openSync(path, 'w');
    ftruncateSync(handle, 64 * 1024 * 1024); // a sparse 64 MiB file: size without the disk cost
    closeSync(handle);
    const error = configError(() => loadConfig({ path, schema: loose, env: {} }));
    expect(error.code).toBe('KERNEL_CONFIG_TOO_LARGE');
    expect(error.message).toContain(path);
    expect(error.issues[0]?.message).toBe(
      'expected at most 1048576 bytes of configuration, got 67108864 bytes',
    );
  });

  it('refuses oversized text too, with a configurable limit', () => {
    const error = configError(() =>
      loadConfig({ text: `k: ${'x'.repeat(2000)}\n`, schema: loose, maxBytes: 1000 }),
    );
    expect(error.code).toBe('KERNEL_CONFIG_TOO_LARGE');
  });

  it('reports invalid YAML with file, line and column, for every syntax error', () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'mode: paper\nrisk:\n  max: [1, 2\n  min: 3\nmode: live\n');
    const error = configError(() => loadConfig({ path, schema: loose, env: {} }));
    expect(error.code).toBe('KERNEL_CONFIG_SYNTAX');
    expect(error.issues.length).toBeGreaterThanOrEqual(2);
    for (const issue of error.issues) expect(issue.path).toMatch(new RegExp(`^${path}:\\d+:\\d+$`));
    expect(error.issues).toContainEqual({
      path: `${path}:5:1`,
      message: 'expected valid YAML, got: Map keys must be unique (line 5, column 1)',
    });
    expect(error.message).toContain(`${path}:5:1: expected valid YAML, got: Map keys must be unique`);
  });

  it('does not echo a secret from the offending line of invalid YAML', () => {
    const error = configError(() => loadConfig({ text: 'password: "hunter2\n', schema: loose, env: {} }));
    expect(error.message).not.toContain('hunter2');
    expect(error.issues[0]?.path).toMatch(/^<text>:\d+:\d+$/);
  });

  it('reports a missing file with its absolute path', () => {
    const path = join(dir, 'absent', 'settings.yaml');
    const error = configError(() => loadConfig({ path, schema: loose, env: {} }));
    expect(error.code).toBe('KERNEL_CONFIG_NOT_FOUND');
    expect(error.issues).toEqual([
      { path: '', message: `expected a configuration file at ${path}, found none (ENOENT)` },
    ]);
  });

  it('reports a directory given as the config path', () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    expect(configError(() => loadConfig({ path, schema: loose, env: {} })).code).toBe(
      'KERNEL_CONFIG_NOT_FOUND',
    );
  });

  it('refuses a document whose top level is not a mapping', () => {
    const error = configError(() => loadConfig({ text: '- a\n- b\n', schema: loose, env: {} }));
    expect(error.issues[0]?.message).toBe('expected a mapping at the top level, got array of 2');
  });
});
