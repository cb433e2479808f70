/**
 * `@algospace/kernel`: configuration, component lifecycle, health and metrics.
 *
 * @packageDocumentation
 */
export { substituteVariables } from './variable-substitution.js';
