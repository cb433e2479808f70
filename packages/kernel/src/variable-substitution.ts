/**
 * `${VAR}` / `${VAR:default}` substitution in configuration text.
 */

/**
 * Replaces `${VAR}` and `${VAR:default}` in `text` with values from `env`; `$${` stays a literal `${`.
 *
 * @throws Error naming the variable when a `${VAR}` without default is not set.
 * @example
 * ```ts
 * substituteVariables('port: ${PORT:9090}', {}); // 'port: 9090'
 * ```
 */
export function substituteVariables(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    /\$?\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g,
    (match, name: string, fallback?: string) => {
      if (match.startsWith('$$')) return match.slice(1);
      const value = env[name];
      if (value !== undefined) return value;
      if (fallback !== undefined) return fallback;
      throw new Error(`expected environment variable ${name} to be set, found it missing`);
    },
  );
}
