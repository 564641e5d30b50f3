/**
 * The targets of issue #13 for the saturation bench: the full server's
 * closed-loop throughput as a share of the bare ocpp-rpc server's in the same
 * run (MeterValues and the realistic mix ≥ 0.3 on PostgreSQL, ≥ 0.15 on
 * PGlite; Heartbeat ≥ 0.6 on both), and p99 under 200 ms at 200 chargers.
 */
export type Engine = 'pg' | 'pglite';

export function ratioTarget(mix: string, engine: Engine): number {
  if (mix === 'Heartbeat') return 0.6;
  return engine === 'pg' ? 0.3 : 0.15;
}

export const P99_TARGET_MS = 200;
export const P99_TARGET_CHARGERS = 200;

export interface Verdict {
  ratio: number;
  ratioMet: boolean;
  /** undefined where the p99 target does not apply (other charger counts). */
  p99Met?: boolean;
}

export function verdict(
  mix: string,
  engine: Engine,
  chargers: number,
  bareCallsPerS: number,
  fullCallsPerS: number,
  fullP99Ms: number,
): Verdict {
  const ratio = bareCallsPerS > 0 ? fullCallsPerS / bareCallsPerS : NaN;
  return {
    ratio,
    ratioMet: ratio >= ratioTarget(mix, engine),
    ...(chargers === P99_TARGET_CHARGERS ? { p99Met: fullP99Ms < P99_TARGET_MS } : {}),
  };
}
