/**
 * `${VAR}` / `${VAR:default}` expansion with `$${` as the escape for a literal `${`. The config loader applies
 * it to each parsed YAML scalar (so errors can name the config path); `substituteVariables` applies it to
 * plain text.
 */
import { KernelError } from './kernel-error.js';

// `$${…` (escape) or `${NAME}` / `${NAME:default}`; the default runs to the first `}`.
const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;

/**
 * The result of expanding the variable references in one string.
 *
 * @example
 * ```ts
 * const expansion: VariableExpansion = expandVariables('${HOST:localhost}:${PORT}', {});
 * // { text: 'localhost:', missing: ['PORT'], changed: true }
 * ```
 */
export interface VariableExpansion {
  /** The text with every reference replaced (a missing required variable becomes `''`). */
  readonly text: string;
  /** Names of required variables (`${NAME}` without default) that `env` does not set, in order. */
  readonly missing: readonly string[];
  /** True when the text contained at least one reference or escape. */
  readonly changed: boolean;
}

/**
 * Expands `${NAME}` (required) and `${NAME:default}` from `env` and turns `$${` into a literal `${`, without
 * throwing: missing required variables are listed so a caller can report them all at once.
 *
 * An empty value (`NAME=`) counts as set; `${NAME:default}` uses the default only when `NAME` is absent.
 *
 * @example
 * ```ts
 * expandVariables('port: ${PORT:9090}, literal: $${HOME}', {}).text; // 'port: 9090, literal: ${HOME}'
 * ```
 */
export function expandVariables(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): VariableExpansion {
  if (!text.includes('${')) return { text, missing: [], changed: false };
  const missing: string[] = [];
  const expanded = text.replace(
    reference,
    (match, name: string | undefined, fallback: string | undefined) => {
      if (name === undefined) return match.slice(1);
      const value = Object.hasOwn(env, name) ? env[name] : undefined;
      if (value !== undefined) return value;
      if (fallback !== undefined) return fallback;
      missing.push(name);
      return '';
    },
  );
  return { text: expanded, missing, changed: true };
}

/**
 * Replaces `${VAR}` and `${VAR:default}` in `text` with values from `env`; `$${` stays a literal `${`.
 * Prefer {@link loadConfig}, which also types the substituted values and names the config path in errors.
 *
 * @throws KernelError (`KERNEL_CONFIG_MISSING_VARIABLE`) naming every required variable that is not set.
 * @example
 * ```ts
 * substituteVariables('port: ${PORT:9090}', {}); // 'port: 9090'
 * ```
 */
export function substituteVariables(text: string, env: Readonly<Record<string, string | undefined>>): string {
  const expansion = expandVariables(text, env);
  if (expansion.missing.length > 0) {
    const names = expansion.missing.join(', ');
    throw new KernelError(
      'KERNEL_CONFIG_MISSING_VARIABLE',
      `expected environment variable${expansion.missing.length > 1 ? 's' : ''} ${names} to be set, found ${expansion.missing.length > 1 ? 'them' : 'it'} missing`,
    );
  }
  return expansion.text;
}
