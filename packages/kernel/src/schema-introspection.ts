/**
 * Reads the structure of an application's zod schema: which keys an object accepts (to report unknown keys
 * even for non-strict `z.object`s, and to map environment variables onto config keys). Only this module
 * touches zod's `_zod.def`, so a zod upgrade that changes it has one place to look.
 */
import type { z } from 'zod';
import type { ConfigIssue } from './kernel-error.js';

interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly catchall?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly getter?: () => z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly items?: readonly z.ZodType[];
  readonly rest?: z.ZodType | null;
}

function definition(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

const wrappers = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** Strips wrappers that do not change which keys a value may have (optional, default, pipe input, lazy…). */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 64; depth++) {
    const def = definition(current);
    if (wrappers.has(def.type) && def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else if (def.type === 'lazy' && def.getter !== undefined) current = def.getter();
    else return current;
  }
  return current;
}

/** How an object schema treats keys outside its shape. */
type ExtraKeys = 'reject-by-zod' | 'allow' | 'unknown';

interface ObjectView {
  readonly shape: Record<string, z.ZodType>;
  readonly extra: ExtraKeys;
}

function objectView(schema: z.ZodType): ObjectView | undefined {
  const def = definition(unwrapSchema(schema));
  if (def.type !== 'object' || def.shape === undefined) return undefined;
  if (def.catchall === undefined) return { shape: def.shape, extra: 'unknown' };
  // strictObject's catchall is `never`: zod itself reports `unrecognized_keys`, so we must not repeat it.
  return { shape: def.shape, extra: definition(def.catchall).type === 'never' ? 'reject-by-zod' : 'allow' };
}

/**
 * The schema that validates `key` of a value validated by `schema`, or undefined when the schema does not
 * describe that key (unknown key, or a schema that is not an object/record/array).
 */
export function childSchema(schema: z.ZodType, key: string | number): z.ZodType | undefined {
  const base = unwrapSchema(schema);
  const def = definition(base);
  if (def.type === 'object' && def.shape !== undefined) {
    return typeof key === 'string' && Object.hasOwn(def.shape, key) ? def.shape[key] : undefined;
  }
  if (def.type === 'record') return def.valueType;
  if (def.type === 'array') return def.element;
  return undefined;
}

/** Keys an object schema declares, or undefined when `schema` is not an object schema. */
export function declaredKeys(schema: z.ZodType): readonly string[] | undefined {
  const view = objectView(schema);
  return view === undefined ? undefined : Object.keys(view.shape);
}

/** Formats a path as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else {
      const name = String(segment);
      text += /^[A-Za-z_$][\w$-]*$/.test(name)
        ? text === ''
          ? name
          : `.${name}`
        : `[${JSON.stringify(name)}]`;
    }
  }
  return text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Appends an issue for every key of `value` that `schema` does not declare, at any depth. Plain `z.object`
 * strips such keys silently; a typo in a config file must not vanish, so they are reported here. Strict
 * objects are left to zod (which reports them itself); `z.looseObject` and records accept any key.
 */
export function collectUnknownKeys(
  schema: z.ZodType,
  value: unknown,
  path: PropertyKey[],
  issues: ConfigIssue[],
): void {
  const base = unwrapSchema(schema);
  const def = definition(base);
  if (def.type === 'object') {
    if (!isPlainObject(value)) return;
    const view = objectView(base)!;
    for (const key of Object.keys(value)) {
      const child = Object.hasOwn(view.shape, key) ? view.shape[key] : undefined;
      if (child !== undefined) collectUnknownKeys(child, value[key], [...path, key], issues);
      else if (view.extra === 'unknown') {
        const known = Object.keys(view.shape);
        issues.push({
          path: formatPath([...path, key]),
          message: `unknown key${known.length > 0 ? `; expected one of ${known.join(', ')}` : ''}${suggestion(key, known)}`,
        });
      } else if (view.extra === 'allow' && def.catchall !== undefined) {
        collectUnknownKeys(def.catchall, value[key], [...path, key], issues);
      }
    }
    return;
  }
  if (def.type === 'array' && def.element !== undefined && Array.isArray(value)) {
    value.forEach((item, index) => {
      collectUnknownKeys(def.element!, item, [...path, index], issues);
    });
    return;
  }
  if (def.type === 'tuple' && Array.isArray(value)) {
    value.forEach((item, index) => {
      const itemSchema = def.items?.[index] ?? def.rest ?? undefined;
      if (itemSchema) collectUnknownKeys(itemSchema, item, [...path, index], issues);
    });
    return;
  }
  if (def.type === 'record' && def.valueType !== undefined && isPlainObject(value)) {
    for (const key of Object.keys(value))
      collectUnknownKeys(def.valueType, value[key], [...path, key], issues);
    return;
  }
  if (def.type === 'union' && def.options !== undefined) {
    // Judge the value against the option it fits best: the one with the fewest unknown keys.
    let best: ConfigIssue[] | undefined;
    for (const option of def.options) {
      const found: ConfigIssue[] = [];
      collectUnknownKeys(option, value, path, found);
      if (best === undefined || found.length < best.length) best = found;
      if (found.length === 0) break;
    }
    if (best !== undefined) issues.push(...best);
    return;
  }
  if (
    def.type === 'intersection' &&
    def.left !== undefined &&
    def.right !== undefined &&
    isPlainObject(value)
  ) {
    const left = objectView(def.left);
    const right = objectView(def.right);
    if (left === undefined || right === undefined) return;
    for (const key of Object.keys(value)) {
      const child = left.shape[key] ?? right.shape[key];
      if (child !== undefined) collectUnknownKeys(child, value[key], [...path, key], issues);
      else if (left.extra === 'unknown' && right.extra === 'unknown') {
        issues.push({ path: formatPath([...path, key]), message: 'unknown key' });
      }
    }
  }
}

function suggestion(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 4;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
