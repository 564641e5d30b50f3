import type { Rng } from '../../sim/random.ts';

/**
 * One charger's calls in the fixed-rate bench with whole sessions: a warm-up
 * (StatusNotification Available, a Heartbeat), then within the measured
 * window one whole charging session (OCPP 1.6 §4.9 Preparing, §4.1
 * Authorize, §4.8 StartTransaction, Charging, §4.7 MeterValues on the
 * sample interval, Finishing, §4.10 StopTransaction, Available once
 * unplugged) and Heartbeats on the heartbeat interval (§4.6) from a phase
 * of its own. Session starts are drawn uniformly over the part of the
 * window that leaves room for the whole session, as a site's arrivals
 * spread over an hour; nothing is left running when the window ends.
 */
export type SessionAction =
  'Heartbeat' | 'StatusNotification' | 'Authorize' | 'StartTransaction' | 'MeterValues' | 'StopTransaction';

export interface PlannedCall {
  /** Seconds from the start of the measured window (negative: the warm-up). */
  atS: number;
  action: SessionAction;
  /** For StatusNotification. */
  status?: 'Available' | 'Preparing' | 'Charging' | 'Finishing';
  measured: boolean;
}

export interface SessionOptions {
  warmupS: number;
  windowS: number;
  sessionS: number;
  meterIntervalS: number;
  heartbeatS: number;
}

/** Seconds after the session starts (the plug-in) of its fixed steps. */
const AUTHORIZE_S = 1;
const START_S = 3;
const CHARGING_S = 4;
const STOP_S = 1; // after Finishing
const UNPLUG_S = 5; // after Finishing

/** The session's calls at its start `s` (seconds in the window). */
function session(o: SessionOptions, s: number): PlannedCall[] {
  const calls: PlannedCall[] = [
    { atS: s, action: 'StatusNotification', status: 'Preparing', measured: true },
    { atS: s + AUTHORIZE_S, action: 'Authorize', measured: true },
    { atS: s + START_S, action: 'StartTransaction', measured: true },
    { atS: s + CHARGING_S, action: 'StatusNotification', status: 'Charging', measured: true },
  ];
  for (let t = s + CHARGING_S + o.meterIntervalS; t < s + o.sessionS; t += o.meterIntervalS)
    calls.push({ atS: t, action: 'MeterValues', measured: true });
  const end = s + o.sessionS;
  calls.push(
    { atS: end, action: 'StatusNotification', status: 'Finishing', measured: true },
    { atS: end + STOP_S, action: 'StopTransaction', measured: true },
    { atS: end + UNPLUG_S, action: 'StatusNotification', status: 'Available', measured: true },
  );
  return calls;
}

export function sessionPlan(o: SessionOptions, rng: Rng): PlannedCall[] {
  const room = o.windowS - o.sessionS - UNPLUG_S;
  if (room <= 0) throw new Error(`a ${o.sessionS} s session does not fit a ${o.windowS} s window`);
  // Warm-up: the state after boot and a first Heartbeat, spread over its first half.
  const calls: PlannedCall[] = [
    {
      atS: -o.warmupS + rng.between(0, o.warmupS / 2),
      action: 'StatusNotification',
      status: 'Available',
      measured: false,
    },
    { atS: -o.warmupS / 2 + rng.between(0, o.warmupS / 2), action: 'Heartbeat', measured: false },
  ];
  calls.push(...session(o, rng.between(0, room)));
  for (let t = rng.between(0, o.heartbeatS); t < o.windowS; t += o.heartbeatS)
    calls.push({ atS: t, action: 'Heartbeat', measured: true });
  return calls.sort((a, b) => a.atS - b.atS);
}

/** Calls per second the plan makes in the window, on average, for `chargers` chargers. */
export function plannedRate(o: SessionOptions, chargers: number): number {
  const meter = Math.ceil((o.sessionS - CHARGING_S) / o.meterIntervalS) - 1;
  const perCharger = 7 + meter + o.windowS / o.heartbeatS;
  return (perCharger * chargers) / o.windowS;
}
