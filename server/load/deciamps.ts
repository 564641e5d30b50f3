/**
 * The allocator counts in integer deciamperes (0.1 A), the resolution of a
 * charging profile limit we send (OCPP 1.6 ChargingSchedulePeriod.limit
 * accepts at most one digit fraction), so every sum is exact and a limit held
 * in deciamps is held in amperes. The epsilon, 1e-9 dA = 1e-10 A, absorbs the
 * binary noise of a computed decimal figure ((0.1 + 0.2) * 10 is
 * 3.0000000000000004, which would round up to 0.4 A; the noise stays below
 * the epsilon up to a million amperes) without moving a real 0.1 A step: a
 * figure within 1e-10 A of a step counts as that step.
 */
const EPSILON = 1e-9;

/** The largest whole number of deciamps not above `amps` (limits, maxima, caps). */
export function floorDeci(amps: number): number {
  return Math.floor(amps * 10 + EPSILON);
}

/** The smallest whole number of deciamps not below `amps` (minima, fixed loads). */
export function ceilDeci(amps: number): number {
  return Math.ceil(amps * 10 - EPSILON);
}

/** Deciamps back to amperes: k / 10 is the double nearest to the decimal figure. */
export function amps(deci: number): number {
  return deci / 10;
}

/** `amps` floored to 0.1 A. */
export function floorTenth(value: number): number {
  return amps(floorDeci(value));
}

/** `amps` rounded up to 0.1 A. */
export function ceilTenth(value: number): number {
  return amps(ceilDeci(value));
}
