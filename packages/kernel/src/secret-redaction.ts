/**
 * Which configuration keys hold secrets, and deep redaction of their values for logs and error messages.
 * Over-redacting (a harmless `sort_key`) is the accepted price for never printing a password.
 */

/** Replacement printed instead of a secret value. */
export const REDACTED = '[redacted]';

/**
 * Masks the credentials of every URL in `text` (`redis://user:pass@host` → `redis://***@host`): a URL's password
 * is secret whatever the key holding it is called.
 *
 * @example
 * ```ts
 * maskUrlCredentials('redis://u:pw@h1:1,redis://u:pw@h2:2'); // 'redis://***@h1:1,redis://***@h2:2'
 * ```
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(/\/\/[^\s/@]*@/g, '//***@');
}

// Words that mark a key as secret wherever they appear as a word of the key (`db_password`, `apiKey`,
// `X-Auth-Token`); matching whole words keeps `monkey` or `passive` readable.
const secretWords = new Set([
  'password',
  'passwd',
  'pwd',
  'secret',
  'secrets',
  'token',
  'tokens',
  'key',
  'keys',
  'apikey',
  'credential',
  'credentials',
  'auth',
  'authorization',
  'cookie',
  'dsn',
]);

/**
 * True when a configuration or log key names a secret (password, token, secret, key, credentials, auth…),
 * judged word by word across snake_case, kebab-case and camelCase.
 *
 * @example
 * ```ts
 * isSecretKey('db_password'); // true
 * isSecretKey('apiKey'); // true
 * isSecretKey('max_position'); // false
 * ```
 */
export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  for (const word of words) if (secretWords.has(word)) return true;
  return secretWords.has(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/**
 * Returns a deep copy of `value` in which every property whose key {@link isSecretKey | names a secret} is
 * replaced by `'[redacted]'`. Cycles are cut (`'[circular]'`); `Error`s keep name and message.
 *
 * @example
 * ```ts
 * redactSecrets({ db: { user: 'ops', password: 'hunter2' } });
 * // { db: { user: 'ops', password: '[redacted]' } }
 * ```
 */
export function redactSecrets<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (value instanceof Error) return redactError(value, seen);
  seen.add(value);
  let copy: unknown;
  if (Array.isArray(value)) copy = value.map((item) => redactValue(item, seen));
  else {
    const object: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      object[key] =
        isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redactValue(item, seen);
    }
    copy = object;
  }
  // Only ancestors count as cycles: an object shared by two branches is copied into both.
  seen.delete(value);
  return copy;
}

/**
 * True when a dotted config path passes through a secret-named key (`db.password`, `feeds[0].api_key`).
 *
 * @example
 * ```ts
 * isSecretPath(['exchange', 'api_key']); // true
 * ```
 */
export function isSecretPath(path: readonly PropertyKey[]): boolean {
  for (const segment of path) if (typeof segment === 'string' && isSecretKey(segment)) return true;
  return false;
}

/** Errors keep their class, message and stack (log serializers rely on them); their own fields are redacted. */
function redactError(error: Error, seen: WeakSet<object>): Error {
  const keys = Object.keys(error);
  if (keys.length === 0) return error;
  seen.add(error);
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(error));
  const fields = copy as unknown as Record<string, unknown>;
  for (const key of keys) {
    const item = fields[key];
    fields[key] =
      isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redactValue(item, seen);
  }
  seen.delete(error);
  return copy;
}
