import { describe, expect, it } from 'vitest';
import { isSecretKey, maskUrlCredentials, redactSecrets } from './secret-redaction.js';

describe('isSecretKey', () => {
  it.each([
    'password',
    'db_password',
    'DB_PASSWORD',
    'passwd',
    'apiKey',
    'api_key',
    'api-key',
    'apikey',
    'secret',
    'clientSecret',
    'token',
    'X-Auth-Token',
    'auth',
    'authorization',
    'credentials',
    'private_key',
    'cookie',
    'sentry_dsn',
  ])('treats %s as secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    'max_position',
    'monkey',
    'passive',
    'host',
    'port',
    'mode',
    'timeframes',
    'session_start',
    'keyboard',
  ])('leaves %s readable', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});

describe('redactSecrets', () => {
  it('redacts at any depth, inside arrays, without touching the input', () => {
    const input = { feeds: [{ url: 'wss://x', token: 't' }], db: { user: 'u', password: 'p' } };
    expect(redactSecrets(input)).toEqual({
      feeds: [{ url: 'wss://x', token: '[redacted]' }],
      db: { user: 'u', password: '[redacted]' },
    });
    expect(input.db.password).toBe('p');
  });

  it('survives cycles and keeps errors and empty secrets as they are', () => {
    const cyclic: Record<string, unknown> = { name: 'a', token: null };
    cyclic.self = cyclic;
    const error = new Error('x');
    expect(redactSecrets({ cyclic, error })).toEqual({
      cyclic: { name: 'a', token: null, self: '[circular]' },
      error,
    });
  });
});

describe('redactSecrets with shared references', () => {
  it('copies an object referenced twice (not a cycle) into both places', () => {
    const shared = { host: 'h', password: 'p' };
    expect(redactSecrets({ a: shared, b: shared })).toEqual({
      a: { host: 'h', password: '[redacted]' },
      b: { host: 'h', password: '[redacted]' },
    });
  });
});

describe('redactSecrets with errors', () => {
  it('redacts secret fields an error carries, keeping its class, message and stack', () => {
    const error = Object.assign(new TypeError('login failed'), { user: 'ops', password: 'p-1' });
    const redacted = redactSecrets({ err: error }).err;
    expect(redacted).toBeInstanceOf(TypeError);
    expect([redacted.message, redacted.stack, redacted.user, redacted.password]).toEqual([
      'login failed',
      error.stack,
      'ops',
      '[redacted]',
    ]);
    expect(error.password, 'the original error is untouched').toBe('p-1');
  });
});

describe('maskUrlCredentials', () => {
  it('masks the user and password of every URL and leaves URLs without them alone', () => {
    expect(maskUrlCredentials('redis://u:pw1@h1:1,rediss://:pw2@h2:2,redis://h3:3')).toBe(
      'redis://***@h1:1,rediss://***@h2:2,redis://h3:3',
    );
  });
});
