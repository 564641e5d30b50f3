/**
 * The call mixes of the saturation bench (issue #13): Heartbeat only,
 * MeterValues only, and a site's realistic traffic, 60 % MeterValues, 20 %
 * StatusNotification, 20 % Heartbeat.
 */
export type MixAction = 'Heartbeat' | 'MeterValues' | 'StatusNotification';
export type Mix = Partial<Record<MixAction, number>>;

export const MIXES: Record<string, Mix> = {
  Heartbeat: { Heartbeat: 1 },
  MeterValues: { MeterValues: 1 },
  realistic: { MeterValues: 60, StatusNotification: 20, Heartbeat: 20 },
};

/**
 * One cycle of actions holding each in its exact share, spread evenly
 * (smooth weighted round robin, as nginx balances upstreams): for the
 * realistic mix MV, SN, MV, HB, MV. Each charger starts at its own offset
 * in the cycle, so the chargers together send the mix at every instant.
 */
export function mixCycle(mix: Mix): MixAction[] {
  const entries = Object.entries(mix).filter(([, w]) => w! > 0) as [MixAction, number][];
  if (entries.length === 0) throw new Error('a mix needs an action with a positive weight');
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const unit = entries.reduce((g, [, w]) => gcd(g, w), 0);
  const weights = entries.map(([a, w]) => [a, w / unit] as const);
  const total = weights.reduce((s, [, w]) => s + w, 0);
  const current = weights.map(() => 0);
  const cycle: MixAction[] = [];
  for (let k = 0; k < total; k++) {
    let best = 0;
    weights.forEach(([, w], i) => {
      current[i]! += w;
      if (current[i]! > current[best]!) best = i;
    });
    current[best]! -= total;
    cycle.push(weights[best]![0]);
  }
  return cycle;
}
