/**
 * `@algospace/kernel`: YAML configuration with `${VAR:default}` substitution and layered overrides, a
 * component lifecycle with dependency ordering and graceful failure, structured logs, health probes and
 * Prometheus metrics.
 *
 * @packageDocumentation
 */

export type { Component, ComponentContext, ComponentHealth, ComponentState } from './component.js';
export { COMPONENT_STATES } from './component.js';
export type { LoadConfigOptions } from './config-loader.js';
export { loadConfig } from './config-loader.js';
export type {
  ComponentStatus,
  Kernel,
  KernelOptions,
  KernelStatus,
  ShutdownResult,
  SignalHandlerOptions,
} from './kernel.js';
export { createKernel, kernelOptionsFromSettings } from './kernel.js';
export type { ComponentPhase, ConfigIssue } from './kernel-error.js';
export { ComponentError, ConfigError, KernelError } from './kernel-error.js';
export type { ComponentStateChange, KernelEvents, KernelState, KernelStateChange } from './kernel-events.js';
export { KERNEL_TOPICS } from './kernel-events.js';
export type { KernelLoggerOptions } from './kernel-logger.js';
export { createKernelLogger } from './kernel-logger.js';
export type { KernelMode, KernelSettings, LogFormat, LogLevel } from './kernel-mode.js';
export { KERNEL_MODES, kernelSettingsSchema, kernelSettingsShape, modeSchema } from './kernel-mode.js';
export type { BusHandlerFailure, BusStatistics } from './observable-bus.js';
export { isSecretKey, maskUrlCredentials, REDACTED, redactSecrets } from './secret-redaction.js';
export type { VariableExpansion } from './variable-substitution.js';
export { expandVariables, substituteVariables } from './variable-substitution.js';
