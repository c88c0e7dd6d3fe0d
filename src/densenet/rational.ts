// Exact ⌊θ·m⌋ for a compression factor θ. Binary floating point stores 0.57 as
// 0.56999999999999995…, so Math.floor(0.57 * 100) is 56. The user typed 0.57,
// and the network the paper describes keeps 57 maps, so θ is read as the
// shortest decimal that round-trips to the same double (what String(θ)
// prints) and the product is floored in BigInt arithmetic.

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/** Returns θ as an exact fraction numerator / denominator of its shortest decimal form. θ must be finite and ≥ 0. */
export function decimalFraction(theta: number): { numerator: bigint; denominator: bigint } {
  if (!Number.isFinite(theta) || theta < 0) {
    throw new RangeError(`expected a finite number ≥ 0, received ${theta}`);
  }
  const match = DECIMAL.exec(String(theta));
  if (match === null) throw new RangeError(`cannot read ${theta} as a decimal`);
  const [, whole = '0', fraction = '', exponentText = '0'] = match;
  const scale = fraction.length - Number(exponentText);
  let numerator = BigInt(whole + fraction);
  let denominator = 1n;
  if (scale >= 0) denominator = 10n ** BigInt(scale);
  else numerator *= 10n ** BigInt(-scale);
  return { numerator, denominator };
}

/** Returns ⌊θ·m⌋ computed exactly from θ's decimal form, for θ ≥ 0 and a whole number m ≥ 0. */
export function floorTimes(theta: number, m: number): number {
  if (!Number.isSafeInteger(m) || m < 0) {
    throw new RangeError(`expected a whole number ≥ 0, received ${m}`);
  }
  const { numerator, denominator } = decimalFraction(theta);
  return Number((numerator * BigInt(m)) / denominator);
}
