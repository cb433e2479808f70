/**
 * `loadConfig`: YAML file → variable substitution → environment and programmatic overrides → schema
 * validation, reporting every problem at once. Hostile input (prototype keys, alias bombs, huge files) is
 * refused before it reaches application code. Schema structure is read in `schema-introspection.ts`.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Document, isAlias, isMap, isScalar, isSeq, type Node, parseDocument, Scalar } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './kernel-error.js';
import { childSchema, collectUnknownKeys, declaredKeys, formatPath } from './schema-introspection.js';
import { isSecretPath, maskUrlCredentials } from './secret-redaction.js';
import { expandVariables } from './variable-substitution.js';
import { resolveCoreScalar } from './yaml-scalar.js';

/**
 * Options of {@link loadConfig}.
 *
 * @example
 * ```ts
 * const options: LoadConfigOptions<{ mode: KernelMode }> = {
 *   path: 'config/settings.yaml',
 *   schema: z.object({ mode: modeSchema }),
 * };
 * ```
 */
export interface LoadConfigOptions<T> {
  /** YAML file to read. Optional: without `path` and `text` the config is defaults + env + overrides. */
  readonly path?: string;
  /** YAML source to parse instead of reading `path` (then `path`, if given, only names the source in errors). */
  readonly text?: string;
  /** The application's zod schema; its defaults are the lowest layer. */
  readonly schema: z.ZodType<T>;
  /** Variables for `${VAR}` substitution and `<PREFIX>_…` overrides. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Prefix of environment overrides (`ALGOSPACE_RISK__MAX_POSITION=3`). Default: `'ALGOSPACE'`. */
  readonly envPrefix?: string;
  /** The top layer, deep-merged over file and environment (objects merge, arrays and scalars replace). */
  readonly overrides?: unknown;
  /** Largest accepted source, in bytes. Default: 1 MiB. */
  readonly maxBytes?: number;
  /** Largest number of alias expansions (`*anchor`) accepted. Default: 100. */
  readonly maxAliasCount?: number;
}

/** Keys that would reach `Object.prototype` if merged naively. */
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

const defaultMaxBytes = 1024 * 1024;
const defaultMaxAliasCount = 100;

/**
 * Loads, substitutes, layers and validates a YAML configuration, returning the schema's output.
 *
 * Layers, lowest first: schema defaults < file < environment (`ALGOSPACE_A__B_C=…` sets `a.b_c`) <
 * `overrides`. In the file, `${VAR}` is required, `${VAR:default}` falls back, and `$${` is a literal `${`;
 * a substituted unquoted scalar is typed as YAML types it (`${PORT}` → number), a quoted one stays a string.
 *
 * @throws ConfigError listing every problem as `path: expected …, got …`; secret-named keys are redacted.
 * @example
 * ```ts
 * import { z } from 'zod';
 * const schema = z.object({ mode: modeSchema, risk: z.object({ max_position: z.number().default(1) }) });
 * const config = loadConfig({ path: 'config/settings.yaml', schema });
 * config.risk.max_position; // number
 * ```
 */
export function loadConfig<T>(options: LoadConfigOptions<T>): T {
  const env = options.env ?? process.env;
  const file = options.path === undefined ? undefined : resolve(options.path);
  const text = readSource(options, file);
  // Substitution and forbidden-key problems are collected, not thrown, so one run reports everything.
  const issues: ConfigIssue[] = [];
  const fromFile = text === undefined ? {} : parseYaml(text, file, env, options, issues);
  const fromEnv = environmentLayer(env, options.envPrefix ?? 'ALGOSPACE', options.schema, fromFile, issues);
  if (options.overrides !== undefined) rejectForbiddenKeys(options.overrides, [], issues);
  let merged = mergeLayers(fromFile, fromEnv);
  if (options.overrides !== undefined) merged = mergeLayers(merged, stripForbiddenKeys(options.overrides));

  const early = new Set(issues.map((issue) => issue.path));
  const result = options.schema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      // A missing variable also fails validation at the same path; the variable is the useful message.
      for (const described of describeZodIssue(issue, merged))
        if (!early.has(described.path)) issues.push(described);
    }
  }
  const unknown: ConfigIssue[] = [];
  collectUnknownKeys(options.schema, merged, [], unknown);
  for (const issue of unknown) if (!issues.some((known) => known.path === issue.path)) issues.push(issue);
  if (issues.length > 0 || !result.success) throw new ConfigError('KERNEL_CONFIG_INVALID', issues, { file });
  return result.data;
}

function readSource(options: LoadConfigOptions<unknown>, file: string | undefined): string | undefined {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  if (options.text !== undefined) {
    const bytes = Buffer.byteLength(options.text, 'utf8');
    if (bytes > maxBytes) throw tooLarge(file, bytes, maxBytes);
    return options.text;
  }
  if (file === undefined) return undefined;
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) {
      throw new ConfigError(
        'KERNEL_CONFIG_NOT_FOUND',
        [{ path: '', message: `expected a configuration file at ${file}, found a directory or device` }],
        { file },
      );
    }
    size = stat.size;
  } catch (error) {
    if (ConfigError.isInstance(error)) throw error;
    throw new ConfigError(
      'KERNEL_CONFIG_NOT_FOUND',
      [{ path: '', message: `expected a configuration file at ${file}, found none (${errorCode(error)})` }],
      { file, cause: error },
    );
  }
  // Checked before reading so a multi-gigabyte file is never loaded into memory.
  if (size > maxBytes) throw tooLarge(file, size, maxBytes);
  return readFileSync(file, 'utf8');
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);
}

function tooLarge(file: string | undefined, bytes: number, maxBytes: number): ConfigError {
  return new ConfigError(
    'KERNEL_CONFIG_TOO_LARGE',
    [{ path: '', message: `expected at most ${maxBytes} bytes of configuration, got ${bytes} bytes` }],
    { file },
  );
}

function parseYaml(
  text: string,
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  options: LoadConfigOptions<unknown>,
  issues: ConfigIssue[],
): unknown {
  const document = parseDocument(text, {
    prettyErrors: true,
    uniqueKeys: true,
    schema: 'core',
    merge: false,
  });
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => {
      const position = error.linePos?.[0];
      const where = position === undefined ? '' : `${position.line}:${position.col}`;
      // yaml appends a source excerpt after " at line"; it could show a secret, so only the reason is kept.
      const reason = error.message.split(/ at line \d+/)[0]?.trim() ?? error.message;
      const at = position === undefined ? '' : ` (line ${position.line}, column ${position.col})`;
      return {
        path: [file ?? '<text>', where].filter((part) => part !== '').join(':'),
        message: `expected valid YAML, got: ${reason}${at}`,
      };
    });
    throw new ConfigError('KERNEL_CONFIG_SYNTAX', issues, { file });
  }
  if (document.contents !== null) walkNode(document.contents, [], env, issues);
  const maxAliasCount = options.maxAliasCount ?? defaultMaxAliasCount;
  let value: unknown;
  try {
    value = (document as Document.Parsed).toJS({ maxAliasCount });
  } catch (error) {
    if (error instanceof ReferenceError) {
      throw new ConfigError(
        'KERNEL_CONFIG_ALIAS_LIMIT',
        [
          {
            path: file ?? '',
            message: `expected at most ${maxAliasCount} alias expansions, got more (an alias bomb?)`,
          },
        ],
        { file, cause: error },
      );
    }
    throw error;
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(
      'KERNEL_CONFIG_INVALID',
      [{ path: '', message: `expected a mapping at the top level, got ${describeValue(value, false)}` }],
      { file },
    );
  }
  return value;
}

function walkNode(
  node: Node,
  path: (string | number)[],
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
): void {
  if (isMap(node)) {
    for (const pair of [...node.items]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (forbiddenKeys.has(key)) {
        issues.push({ path: formatPath([...path, key]), message: forbiddenMessage(key) });
        // Removed from the document so the value can never reach toJS or the application.
        node.items.splice(node.items.indexOf(pair), 1);
        continue;
      }
      if (pair.value !== null && pair.value !== undefined)
        walkNode(pair.value as Node, [...path, key], env, issues);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      if (item !== null && item !== undefined) walkNode(item as Node, [...path, index], env, issues);
    });
  } else if (isScalar(node) && typeof node.value === 'string' && !isAlias(node)) {
    const expansion = expandVariables(node.value, env);
    if (!expansion.changed) return;
    for (const name of expansion.missing) {
      issues.push({
        path: formatPath(path),
        message: `expected environment variable ${name} to be set (used as \${${name}}), found it missing`,
      });
    }
    node.value = node.type === Scalar.PLAIN ? resolveCoreScalar(expansion.text) : expansion.text;
  }
}

function forbiddenMessage(key: string): string {
  return `expected an ordinary key, got the reserved key "${key}" (refused: prototype pollution)`;
}

function rejectForbiddenKeys(value: unknown, path: (string | number)[], issues: ConfigIssue[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      rejectForbiddenKeys(item, [...path, index], issues);
    });
    return;
  }
  for (const key of Object.keys(value)) {
    if (forbiddenKeys.has(key))
      issues.push({ path: formatPath([...path, key]), message: forbiddenMessage(key) });
    else rejectForbiddenKeys((value as Record<string, unknown>)[key], [...path, key], issues);
  }
}

function stripForbiddenKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(stripForbiddenKeys);
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    if (!forbiddenKeys.has(key)) copy[key] = stripForbiddenKeys(value[key]);
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Deep-merges `top` over `base`: plain objects merge key by key, anything else replaces; `undefined` keeps. */
function mergeLayers(base: unknown, top: unknown): unknown {
  if (top === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(top)) return top;
  const merged: Record<string, unknown> = { ...base };
  for (const key of Object.keys(top)) merged[key] = mergeLayers(base[key], top[key]);
  return merged;
}

const normalizeKey = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

/**
 * Builds the environment layer: `<PREFIX>_<SEG>__<SEG>…=value`, `__` separating nesting levels. Each segment
 * is matched to the schema's (or the file's) key with the same letters ignoring case, `_` and `-`, so
 * `RISK_MANAGEMENT__MAX_POSITION` sets `risk_management.max_position` or `riskManagement.maxPosition`.
 * A variable whose first segment names no top-level key is not a config override and is ignored (the
 * environment is shared with other tools, e.g. `ALGOSPACE_DATA_DIR`); a deeper unmatched segment is kept
 * (lower-cased) so validation reports it as an unknown key.
 */
function environmentLayer(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
  schema: z.ZodType,
  fromFile: unknown,
  issues: ConfigIssue[],
): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  const marker = `${prefix}_`;
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (raw === undefined || !name.startsWith(marker) || name.length === marker.length) continue;
    const segments = name.slice(marker.length).split('__');
    const path: (string | number)[] = [];
    let nodeSchema: z.ZodType | undefined = schema;
    let fileNode: unknown = fromFile;
    let matched = true;
    for (const [index, segment] of segments.entries()) {
      const candidates = new Set<string>([
        ...(nodeSchema === undefined ? [] : (declaredKeys(nodeSchema) ?? [])),
        ...(isPlainObject(fileNode) ? Object.keys(fileNode) : []),
      ]);
      const wanted = normalizeKey(segment);
      let key: string | number | undefined;
      for (const candidate of candidates) if (normalizeKey(candidate) === wanted) key = candidate;
      if (key === undefined && /^\d+$/.test(segment) && Array.isArray(fileNode)) key = Number(segment);
      if (key === undefined) {
        if (index === 0) {
          matched = false;
          break;
        }
        key = segment.toLowerCase();
      }
      path.push(key);
      nodeSchema = nodeSchema === undefined ? undefined : childSchema(nodeSchema, key);
      fileNode = isPlainObject(fileNode) || Array.isArray(fileNode) ? (fileNode as never)[key] : undefined;
    }
    if (!matched) continue;
    const forbidden = path.find((segment) => typeof segment === 'string' && forbiddenKeys.has(segment));
    if (forbidden !== undefined) {
      issues.push({ path: name, message: forbiddenMessage(String(forbidden)) });
      continue;
    }
    setAtPath(layer, path, fromFile, environmentValue(raw, name, issues));
  }
  return layer;
}

function environmentValue(raw: string, name: string, issues: ConfigIssue[]): unknown {
  const trimmed = raw.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return resolveCoreScalar(raw);
  // A flow collection (`[5m, 30m]`): parsed as YAML with the same limits as a file.
  const document = parseDocument(trimmed, { uniqueKeys: true, schema: 'core', merge: false });
  if (document.errors.length > 0) {
    issues.push({
      path: name,
      message: `expected a YAML flow collection, got invalid YAML (${document.errors[0]?.message.split(/ at line \d+/)[0]})`,
    });
    return undefined;
  }
  const value: unknown = document.toJS({ maxAliasCount: defaultMaxAliasCount });
  rejectForbiddenKeys(value, [name], issues);
  return value;
}

function setAtPath(
  layer: Record<string, unknown>,
  path: (string | number)[],
  fromFile: unknown,
  value: unknown,
): void {
  let target: Record<string | number, unknown> = layer;
  let fileNode: unknown = fromFile;
  for (const [index, segment] of path.entries()) {
    fileNode = isPlainObject(fileNode) || Array.isArray(fileNode) ? (fileNode as never)[segment] : undefined;
    if (index === path.length - 1) {
      target[segment] = value;
      return;
    }
    let next = target[segment];
    if (typeof next !== 'object' || next === null) {
      // Overriding one element of a file array: copy the array so the merge replaces it whole.
      next = Array.isArray(fileNode) ? [...fileNode] : {};
      target[segment] = next;
    }
    target = next as Record<string | number, unknown>;
  }
}

interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly format?: string;
  readonly divisor?: number | bigint;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly includes?: string;
  readonly pattern?: string;
}

function describeFormat(issue: ZodIssueLike): string {
  switch (issue.format) {
    case 'starts_with':
      return `a string starting with ${JSON.stringify(issue.prefix)}`;
    case 'ends_with':
      return `a string ending with ${JSON.stringify(issue.suffix)}`;
    case 'includes':
      return `a string containing ${JSON.stringify(issue.includes)}`;
    case 'regex':
      return `a string matching ${issue.pattern}`;
    default:
      return issue.format === undefined ? 'a formatted string' : `a valid ${issue.format}`;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Object.hasOwn(current, segment)
      ? (current as Record<PropertyKey, unknown>)[segment]
      : undefined;
  }
  return current;
}

function describeZodIssue(raw: unknown, input: unknown): ConfigIssue[] {
  const issue = raw as ZodIssueLike;
  const path = formatPath(issue.path);
  const secret = isSecretPath(issue.path);
  const got = `got ${describeValue(valueAt(input, issue.path), secret)}`;
  switch (issue.code) {
    case 'unrecognized_keys':
      return (issue.keys ?? []).map((key) => ({
        path: formatPath([...issue.path, key]),
        message: 'unknown key',
      }));
    case 'invalid_type':
      return [{ path, message: `expected ${issue.expected}, ${got}` }];
    case 'invalid_value': {
      const values = (issue.values ?? []).map((value) => JSON.stringify(value)).join('|');
      return [
        { path, message: `expected ${(issue.values?.length ?? 0) > 1 ? 'one of ' : ''}${values}, ${got}` },
      ];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const relation =
        issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      const subject =
        issue.origin === 'string'
          ? 'string length'
          : issue.origin === 'array' || issue.origin === 'set'
            ? `${issue.origin} size`
            : (issue.origin ?? 'value');
      return [{ path, message: `expected ${subject} ${relation} ${String(bound)}, ${got}` }];
    }
    case 'invalid_format':
      return [{ path, message: `expected ${describeFormat(issue)}, ${got}` }];
    case 'not_multiple_of':
      return [{ path, message: `expected a multiple of ${String(issue.divisor)}, ${got}` }];
    default: {
      const reason = issue.message.replace(/^Invalid input:?\s*/i, '');
      // A refinement's own message ("end must be after start") reads best as the reason a value was refused.
      const expected = reason.startsWith('expected')
        ? reason
        : reason === ''
          ? 'expected a valid value'
          : `expected a valid value (${reason})`;
      return [{ path, message: `${expected}, ${got}` }];
    }
  }
}

function describeValue(value: unknown, secret: boolean): string {
  if (value === undefined) return 'nothing (key missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length}`;
  switch (typeof value) {
    case 'string': {
      if (secret) return 'string [redacted]';
      // Credentials inside a URL (`redis://user:pass@host`) are secret whatever the key is called.
      const masked = maskUrlCredentials(value);
      const shown = masked.length > 60 ? `${masked.slice(0, 57)}...` : masked;
      return `string ${JSON.stringify(shown)}`;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return secret ? `${typeof value} [redacted]` : `${typeof value} ${String(value)}`;
    case 'object':
      return 'object';
    default:
      return typeof value;
  }
}
