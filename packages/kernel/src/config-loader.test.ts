import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from './config-loader.js';
import { ConfigError } from './kernel-error.js';
import { kernelSettingsSchema, kernelSettingsShape, modeSchema } from './kernel-mode.js';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError, it returned');
}

const riskSchema = z.object({
  mode: modeSchema,
  risk: z.object({
    max_position: z.number().int().positive().default(1),
    stop_loss: z.number().default(0.02),
  }),
  feed: z.object({ url: z.string(), api_key: z.string().optional() }).optional(),
});

describe('loadConfig: variable substitution', () => {
  it('replaces a required ${VAR} with its value and types the unquoted result as YAML would', () => {
    const config = loadConfig({
      text: 'mode: ${MODE}\nrisk:\n  max_position: ${MAX}\n  stop_loss: ${STOP}\n',
      schema: riskSchema,
      env: { MODE: 'live', MAX: '3', STOP: '0.5' },
    });
    expect(config, 'unquoted 3 and 0.5 are numbers in YAML, so the substituted ones are too').toEqual({
      mode: 'live',
      risk: { max_position: 3, stop_loss: 0.5 },
    });
  });

  it('uses the default of ${VAR:default} when the variable is absent, and the value when it is set', () => {
    const schema = z.object({ a: z.number(), b: z.number(), c: z.string() });
    const text = 'a: ${A:7}\nb: ${B:7}\nc: ${C:}\n';
    expect(loadConfig({ text: text.replace('${C:}', '"${C:}"'), schema, env: { B: '9' } })).toEqual({
      a: 7,
      b: 9,
      c: '',
    });
  });

  it('keeps quoted substitutions as strings, so "${PORT}" stays the text 9090', () => {
    const schema = z.object({ quoted: z.string(), plain: z.number() });
    expect(loadConfig({ text: 'quoted: "${P}"\nplain: ${P}\n', schema, env: { P: '9090' } })).toEqual({
      quoted: '9090',
      plain: 9090,
    });
  });

  it('types booleans, null, hex and octal like YAML 1.2 core', () => {
    const schema = z.object({ t: z.boolean(), f: z.boolean(), n: z.null(), h: z.number(), o: z.number() });
    const env = { T: 'true', F: 'False', N: '~', H: '0x1F', O: '0o17' };
    expect(loadConfig({ text: 't: ${T}\nf: ${F}\nn: ${N}\nh: ${H}\no: ${O}\n', schema, env })).toEqual({
      t: true,
      f: false,
      n: null,
      h: 31,
      o: 15,
    });
  });

  it('turns $${ into a literal ${ and leaves the variable unexpanded', () => {
    const schema = z.object({ template: z.string() });
    expect(
      loadConfig({ text: 'template: $${HOME}/x-${A}\n', schema, env: { A: '1', HOME: '/root' } }),
    ).toEqual({
      template: '${HOME}/x-1',
    });
  });

  it('cannot inject YAML structure through a variable value', () => {
    const schema = z.looseObject({ name: z.string() });
    const config = loadConfig({ text: 'name: ${NAME}\n', schema, env: { NAME: 'x\nadmin: true\n[1, 2]' } });
    expect(config, 'the whole value is one string; no admin key appears').toEqual({
      name: 'x\nadmin: true\n[1, 2]',
    });
  });

  it('names the missing variable and the config path where it is used', () => {
    const error = configError(() =>
      loadConfig({ text: 'mode: paper\nrisk:\n  max_position: ${MAX_POS}\n', schema: riskSchema, env: {} }),
    );
    expect(error.issues).toEqual([
      {
        path: 'risk.max_position',
        message: 'expected environment variable MAX_POS to be set (used as ${MAX_POS}), found it missing',
      },
    ]);
    expect(error.message).toContain('risk.max_position: expected environment variable MAX_POS');
  });

  it('substitutes inside sequences and reports the index in the path', () => {
    const schema = z.object({ hosts: z.array(z.string()) });
    const error = configError(() =>
      loadConfig({ text: 'hosts: [a, "${H1}", "${H2}"]\n', schema, env: { H1: 'b' } }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(['hosts[2]']);
  });
});

describe('loadConfig: validation', () => {
  it('reports every problem at once as path: expected …, got … lines', () => {
    const error = configError(() =>
      loadConfig({
        text: 'mode: fast\nrisk:\n  max_position: -2\n  stop_loss: tight\nfeed:\n  api_key: 5\n',
        schema: riskSchema,
        env: {},
      }),
    );
    expect(error.code).toBe('KERNEL_CONFIG_INVALID');
    expect(error.issues).toEqual([
      { path: 'mode', message: 'expected one of "backtest"|"paper"|"live", got string "fast"' },
      { path: 'risk.max_position', message: 'expected number > 0, got number -2' },
      { path: 'risk.stop_loss', message: 'expected number, got string "tight"' },
      { path: 'feed.url', message: 'expected string, got nothing (key missing)' },
      { path: 'feed.api_key', message: 'expected string, got number [redacted]' },
    ]);
    expect(error.message.split('\n').slice(1)).toEqual(
      error.issues.map((issue) => `  ${issue.path}: ${issue.message}`),
    );
  });

  it('masks credentials inside URL values whatever their key, in every URL of the value', () => {
    const schema = z.object({
      url: z.string().refine((text) => !text.includes('bogus'), 'expected redis:// URLs'),
    });
    const error = configError(() =>
      loadConfig({
        text: 'url: "redis://u:pwA@h1:1,redis://u:pwB@h2:2,bogus"\n',
        schema,
        env: {},
      }),
    );
    expect(error.issues).toEqual([
      {
        path: 'url',
        message: 'expected redis:// URLs, got string "redis://***@h1:1,redis://***@h2:2,bogus"',
      },
    ]);
    expect(error.message).not.toMatch(/pwA|pwB/);
  });

  it('phrases refinements and unions as expected …, got … too', () => {
    const schema = z.object({
      window: z
        .object({ start: z.number(), end: z.number() })
        .refine((w) => w.end > w.start, 'end must be after start'),
      feed: z.union([z.literal('sim'), z.string().startsWith('ws://')]),
    });
    const error = configError(() =>
      loadConfig({ text: 'window: {start: 5, end: 1}\nfeed: http://x\n', schema, env: {} }),
    );
    expect(error.issues).toEqual([
      { path: 'window', message: 'expected a valid value (end must be after start), got object' },
      { path: 'feed', message: 'expected a string starting with "ws://", got string "http://x"' },
    ]);
  });

  it('reports unknown keys of plain z.object schemas, with a suggestion for a likely typo', () => {
    const error = configError(() =>
      loadConfig({ text: 'mode: paper\nrisk:\n  max_postion: 2\nextra: 1\n', schema: riskSchema, env: {} }),
    );
    expect(error.issues).toEqual([
      {
        path: 'risk.max_postion',
        message: 'unknown key; expected one of max_position, stop_loss (did you mean max_position?)',
      },
      { path: 'extra', message: 'unknown key; expected one of mode, risk, feed' },
    ]);
  });

  it('reports unknown keys of strict objects once, inside arrays and records too', () => {
    const schema = z.object({
      feeds: z.array(z.strictObject({ url: z.string() })),
      limits: z.record(z.string(), z.object({ max: z.number() })),
    });
    const error = configError(() =>
      loadConfig({
        text: 'feeds:\n  - url: a\n    urll: b\nlimits:\n  NQ:\n    max: 1\n    min: 0\n',
        schema,
        env: {},
      }),
    );
    expect(error.issues.map((issue) => `${issue.path}: ${issue.message.split(';')[0]}`)).toEqual([
      'feeds[0].urll: unknown key',
      'limits.NQ.min: unknown key',
    ]);
  });

  it('applies schema defaults for keys the file leaves out', () => {
    const config = loadConfig({ text: 'mode: backtest\n', schema: kernelSettingsSchema, env: {} });
    expect(config).toEqual({
      mode: 'backtest',
      logging: { level: 'info', format: 'auto' },
      monitoring: { enabled: true, host: '127.0.0.1', port: 9090 },
    });
  });
});

describe('loadConfig: layering', () => {
  const schema = z.object({
    ...kernelSettingsShape,
    risk_management: z
      .object({ max_position: z.number().default(1), max_loss: z.number().default(100) })
      .prefault({}),
  });

  it('orders the layers schema defaults < file < environment < programmatic overrides', () => {
    const text = 'mode: backtest\nrisk_management:\n  max_position: 2\n  max_loss: 200\n';
    const env = { ALGOSPACE_RISK_MANAGEMENT__MAX_POSITION: '3', ALGOSPACE_RISK_MANAGEMENT__MAX_LOSS: '300' };
    const config = loadConfig({ text, schema, env, overrides: { risk_management: { max_loss: 400 } } });
    expect(config.monitoring.port, 'schema default, untouched by any layer').toBe(9090);
    expect(config.risk_management, 'file 2 < env 3; file 200 < env 300 < override 400').toEqual({
      max_position: 3,
      max_loss: 400,
    });
  });

  it('maps environment segments to camelCase keys and types the value', () => {
    const camel = z.object({ riskManagement: z.object({ maxPosition: z.number(), enabled: z.boolean() }) });
    const env = { ALGOSPACE_RISK_MANAGEMENT__MAX_POSITION: '5', ALGOSPACE_RISK_MANAGEMENT__ENABLED: 'false' };
    expect(
      loadConfig({ text: 'riskManagement: {maxPosition: 1, enabled: true}\n', schema: camel, env }),
    ).toEqual({
      riskManagement: { maxPosition: 5, enabled: false },
    });
  });

  it('accepts a flow sequence from the environment and honours a custom prefix', () => {
    const lists = z.object({ timeframes: z.array(z.string()) });
    const env = { APP_TIMEFRAMES: '[5m, 30m]', ALGOSPACE_TIMEFRAMES: '[1m]' };
    expect(loadConfig({ text: 'timeframes: [1h]\n', schema: lists, env, envPrefix: 'APP' })).toEqual({
      timeframes: ['5m', '30m'],
    });
  });

  it('ignores prefixed variables that name no top-level key but reports a deeper typo', () => {
    const env = { ALGOSPACE_DATA_DIR: '/data', ALGOSPACE_RISK_MANAGEMENT__MAX_POSTION: '3' };
    const error = configError(() => loadConfig({ text: 'mode: paper\n', schema, env }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['risk_management.max_postion']);
  });

  it('sets the mode from ALGOSPACE_MODE', () => {
    expect(loadConfig({ text: 'mode: backtest\n', schema, env: { ALGOSPACE_MODE: 'live' } }).mode).toBe(
      'live',
    );
  });

  it('works without a file: defaults, environment and overrides only', () => {
    const config = loadConfig({
      schema,
      env: { ALGOSPACE_MONITORING__PORT: '0' },
      overrides: { mode: 'paper' },
    });
    expect([config.mode, config.monitoring.port, config.risk_management.max_position]).toEqual([
      'paper',
      0,
      1,
    ]);
  });

  it('reads a real file from disk and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kernel-config-'));
    const path = join(dir, 'settings.yaml');
    writeFileSync(path, 'mode: paper\nrisk_management:\n  max_position: many\n');
    const error = configError(() => loadConfig({ path, schema, env: {} }));
    expect(error.file).toBe(path);
    expect(error.message).toContain(`configuration ${path} is invalid (1 problem):`);
    writeFileSync(path, 'mode: paper\n');
    expect(loadConfig({ path, schema, env: {} }).mode).toBe('paper');
  });
});

describe('loadConfig: secrets', () => {
  it('never prints the value of a secret-named key in an error message', () => {
    const schema = z.object({
      db: z.object({ password: z.number(), token: z.number(), user: z.number() }),
      exchange: z.object({ apiKey: z.enum(['a']), secret: z.string().min(40) }),
    });
    const text =
      'db:\n  password: hunter2\n  token: abc123\n  user: ops\nexchange:\n  apiKey: k-777\n  secret: s-999\n';
    const error = configError(() => loadConfig({ text, schema, env: {} }));
    for (const secret of ['hunter2', 'abc123', 'k-777', 's-999']) {
      expect(error.message, `secret ${secret} must not appear`).not.toContain(secret);
      expect(JSON.stringify(error.issues)).not.toContain(secret);
    }
    expect(error.message, 'the non-secret value is still shown').toContain('got string "ops"');
  });
});
