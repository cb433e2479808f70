/**
 * Types a substituted plain scalar the way YAML 1.2's core schema types plain scalars, so `port: ${PORT}`
 * with `PORT=9090` yields the number 9090 exactly as `port: 9090` would.
 */

const nullPattern = /^(?:~|null|Null|NULL)?$/;
const truePattern = /^(?:true|True|TRUE)$/;
const falsePattern = /^(?:false|False|FALSE)$/;
const decimalIntPattern = /^[-+]?[0-9]+$/;
const octalPattern = /^0o[0-7]+$/;
const hexPattern = /^0x[0-9a-fA-F]+$/;
const floatPattern = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const infinityPattern = /^([-+]?)\.(?:inf|Inf|INF)$/;
const nanPattern = /^\.(?:nan|NaN|NAN)$/;

/** A scalar as YAML's core schema resolves it: null, boolean, number, or the string itself. */
export type CoreScalar = null | boolean | number | string;

/** Resolves `text` as an untagged plain YAML 1.2 core-schema scalar. */
export function resolveCoreScalar(text: string): CoreScalar {
  if (nullPattern.test(text)) return null;
  if (truePattern.test(text)) return true;
  if (falsePattern.test(text)) return false;
  if (decimalIntPattern.test(text) || floatPattern.test(text)) return Number(text);
  if (octalPattern.test(text)) return Number.parseInt(text.slice(2), 8);
  if (hexPattern.test(text)) return Number.parseInt(text.slice(2), 16);
  const infinity = infinityPattern.exec(text);
  if (infinity !== null) return infinity[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (nanPattern.test(text)) return Number.NaN;
  return text;
}
