/** Amperes for the Load page: the unit symbol is the same in every language, so it is not a dictionary entry. */
export function amps(num: (n: number, digits?: number) => string, n: number): string {
  return `${num(n, 1)} A`;
}
