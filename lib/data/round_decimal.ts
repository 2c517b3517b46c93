/**
 * Decimal rounding of a float64 as it is written: the shortest decimal that reads back as the same
 * double (what `String(x)` and Python's `repr` print), rounded half away from zero. This is how a
 * data export that prints fewer digits changes a value, and it is not what `Math.round(x * 10) / 10`
 * or `toFixed` do (both round the binary value, so `0.15` would become `0.1`).
 *
 * The kit needs it to rebuild the `ucimlrepo` copies of UCI data the authors of the paper read
 * (see `authors_tables.ts`): those copies hold the UCI values rounded this way.
 *
 * @module
 */

/** How many digits {@linkcode roundDecimal} keeps: after the decimal point, or significant ones. */
export type DecimalDigits = { decimals: number } | { significant: number };

const SHORTEST = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/**
 * Rounds `value`'s shortest decimal representation to `digits`, half away from zero (Python's
 * `decimal.ROUND_HALF_UP`), and returns the double nearest to the result. Values already short
 * enough, zeros and non-finite values are returned unchanged.
 *
 * @param value the number
 * @param digits `{ decimals: k }` (k ≥ 0 digits after the point) or `{ significant: k }` (k ≥ 1)
 * @returns the rounded number
 *
 * @example
 * ```ts
 * import { roundDecimal } from "./round_decimal.ts";
 * import assert from "node:assert/strict";
 * assert.equal(roundDecimal(0.15, { decimals: 1 }), 0.2); // (0.15).toFixed(1) is "0.1"
 * assert.equal(roundDecimal(-2.45, { decimals: 1 }), -2.5);
 * assert.equal(roundDecimal(13.5666666666667, { significant: 10 }), 13.56666667);
 * assert.equal(roundDecimal(2.465e-5, { significant: 3 }), 2.47e-5);
 * assert.equal(roundDecimal(540, { decimals: 1 }), 540);
 * ```
 */
export function roundDecimal(value: number, digits: DecimalDigits): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const m = SHORTEST.exec(String(value));
  if (m === null) throw new Error(`roundDecimal: cannot read ${value} as a decimal`);
  const [, sign, whole, fraction = "", exponent = "0"] = m;
  const all = (whole + fraction).replace(/^0+/, "");
  // value = ±all × 10^low; the leading digit sits at 10^(low + all.length − 1)
  const low = Number(exponent) - fraction.length;
  const keepFrom = "decimals" in digits ? -digits.decimals : low + all.length - digits.significant;
  const drop = keepFrom - low;
  if (drop <= 0) return value;
  const keep = all.length - drop;
  let kept = keep > 0 ? BigInt(all.slice(0, keep)) : 0n;
  if (keep >= 0 && all[keep] >= "5") kept += 1n;
  return Number(`${sign}${kept}e${keepFrom}`);
}
