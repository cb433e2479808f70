/**
 * The error classes of `@algospace/kernel`: one branded base class, a configuration error that carries every
 * issue at once, and a component error that names the component and the lifecycle phase that failed.
 */

const brand = Symbol.for('@algospace/kernel/error');

/**
 * Base class of every error raised by `@algospace/kernel`.
 *
 * @example
 * ```ts
 * try {
 *   await kernel.start();
 * } catch (error) {
 *   if (KernelError.isInstance(error)) console.error(error.code); // e.g. 'KERNEL_INIT_FAILED'
 * }
 * ```
 */
export class KernelError extends Error {
  /** Stable machine-readable identifier of the failure, e.g. `'KERNEL_DEPENDENCY_CYCLE'`. */
  readonly code: string;

  /**
   * @param code - stable identifier of the failure
   * @param message - what was expected and what was found
   * @param options - the underlying cause, when there is one
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KernelError';
    this.code = code;
    // A symbol brand instead of `instanceof`: it survives two copies of this package in one process.
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * True when `value` is a kernel error, even one created by another copy of this package.
   *
   * @example
   * ```ts
   * KernelError.isInstance(new Error('x')); // false
   * ```
   */
  static isInstance(value: unknown): value is KernelError {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

/**
 * One problem found in a configuration: where (`path`, e.g. `risk.max_position` or `settings.yaml:4:7`) and
 * what (`message`, e.g. `expected number, got string "three"`). Secret values never appear in `message`.
 *
 * @example
 * ```ts
 * const issue: ConfigIssue = { path: 'monitoring.port', message: 'expected number, got string "x"' };
 * ```
 */
export interface ConfigIssue {
  /** Dotted config path (`a.b[0].c`), or `file:line:column` for a YAML syntax error; `''` for the root. */
  readonly path: string;
  /** What was expected and what was found. */
  readonly message: string;
}

/**
 * Configuration could not be loaded. `issues` lists every problem found (not only the first), and the
 * message is those issues as `path: expected …, got …` lines.
 *
 * Codes: `KERNEL_CONFIG_INVALID` (schema validation, unknown keys, forbidden keys, missing variables),
 * `KERNEL_CONFIG_SYNTAX` (invalid YAML), `KERNEL_CONFIG_NOT_FOUND`, `KERNEL_CONFIG_TOO_LARGE`,
 * `KERNEL_CONFIG_ALIAS_LIMIT`.
 *
 * @example
 * ```ts
 * try {
 *   loadConfig({ text: 'mode: fast\n', schema: z.object({ mode: modeSchema }) });
 * } catch (error) {
 *   if (ConfigError.isInstance(error)) console.error(error.issues);
 *   // [{ path: 'mode', message: 'expected one of "backtest"|"paper"|"live", got string "fast"' }]
 * }
 * ```
 */
export class ConfigError extends KernelError {
  /** Every problem found, in document order. */
  readonly issues: readonly ConfigIssue[];
  /** The file the configuration came from, when it came from a file. */
  readonly file: string | undefined;

  /**
   * @param code - stable identifier of the failure
   * @param issues - every problem found
   * @param options - the source file and the underlying cause, when known
   */
  constructor(
    code: string,
    issues: readonly ConfigIssue[],
    options: { file?: string | undefined; cause?: unknown } = {},
  ) {
    const source = options.file === undefined ? 'configuration' : `configuration ${options.file}`;
    const lines = issues.map((issue) =>
      issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`,
    );
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(code, `${source} is invalid (${count}):\n${lines.map((line) => `  ${line}`).join('\n')}`, {
      cause: options.cause,
    });
    this.name = 'ConfigError';
    this.issues = issues;
    this.file = options.file;
  }

  /**
   * True when `value` is a configuration error, even one created by another copy of this package.
   *
   * @example
   * ```ts
   * ConfigError.isInstance(new Error('x')); // false
   * ```
   */
  static override isInstance(value: unknown): value is ConfigError {
    return KernelError.isInstance(value) && value.name === 'ConfigError';
  }
}

/**
 * The lifecycle phase a component was in when it failed.
 *
 * @example
 * ```ts
 * const phase: ComponentPhase = 'init';
 * ```
 */
export type ComponentPhase = 'init' | 'start' | 'stop' | 'runtime';

/**
 * A component failed during `phase`. `component` names it and `cause` keeps the original error.
 *
 * Codes: `KERNEL_INIT_FAILED`, `KERNEL_START_FAILED`, `KERNEL_STOP_FAILED`, `KERNEL_COMPONENT_TIMEOUT`,
 * `KERNEL_RUNTIME_ERROR`.
 *
 * @example
 * ```ts
 * try {
 *   await kernel.start();
 * } catch (error) {
 *   if (ComponentError.isInstance(error)) console.error(error.component, error.phase, error.cause);
 * }
 * ```
 */
export class ComponentError extends KernelError {
  /** Name of the component that failed. */
  readonly component: string;
  /** What the component was doing when it failed. */
  readonly phase: ComponentPhase;

  /**
   * @param code - stable identifier of the failure
   * @param component - name of the failing component
   * @param phase - lifecycle phase of the failure
   * @param message - what was expected and what was found
   * @param options - the underlying cause
   */
  constructor(
    code: string,
    component: string,
    phase: ComponentPhase,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'ComponentError';
    this.component = component;
    this.phase = phase;
  }

  /**
   * True when `value` is a component error, even one created by another copy of this package.
   *
   * @example
   * ```ts
   * ComponentError.isInstance(new Error('x')); // false
   * ```
   */
  static override isInstance(value: unknown): value is ComponentError {
    return KernelError.isInstance(value) && value.name === 'ComponentError';
  }
}
