/**
 * `@algospace/indicators`: streaming indicators identical to their batch form.
 *
 * @packageDocumentation
 */
export { SMA } from './sma.js';
