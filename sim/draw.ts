import type { ChargePoint } from './charge-point.ts';
import { addEnergy, exactPowerW, phaseDraw, wantedAmps, type Ev, type PhaseAmps } from './ev-model.ts';
import { hashString } from './random.ts';
import type { Connector } from './types.ts';

export type DrawStatus = 'Charging' | 'SuspendedEV' | 'SuspendedEVSE';

export interface DrawInput {
  ev: Ev;
  start: Date;
  /** Seeds the jitter: a function of (seed, decision), so extra evaluations never change the run. */
  seed: number;
  transactionId: () => number | undefined;
  /** The car pauses by itself (SuspendedEV) for `forS` seconds from `atS` into the session. */
  pause: { atS: number; forS: number };
}

/** A change of a connector's draw, for a bench or test that follows it exactly. */
export interface DrawEvent {
  chargerId: string;
  connectorId: number;
  transactionId: number | undefined;
  at: Date;
  amps: PhaseAmps;
  offeredA: number;
  demand: PhaseAmps;
}

/**
 * One session's electrical state, constant between updates. `update(now)`
 * first counts the energy drawn since the last update at the draw held
 * until now (so Energy.Active.Import.Register is the integral of what the
 * car drew), then sets the draw from what the charger offers now (its
 * profiles, OCPP 1.6 §3.13) and what the car wants. The car re-decides what
 * it wants (taper, jitter, a pause) at each meter sample (`decide`). The
 * session loop updates at every sample and profile boundary; a command that
 * changes the profiles updates at once, before it is answered, so an
 * Accepted lower has already taken effect.
 */
export class SessionDraw {
  amps: PhaseAmps = [0, 0, 0];
  offeredA = 0;
  /** What the car would draw if the charger offered its full maximum. */
  demand: PhaseAmps = [0, 0, 0];
  status: DrawStatus = 'SuspendedEVSE';
  private at: number;
  private exactWh: number;
  private decisions = 0;
  private wanted = 0;
  private ended = false;

  constructor(
    private readonly cp: ChargePoint,
    private readonly c: Connector,
    private readonly input: DrawInput,
  ) {
    this.at = input.start.getTime();
    this.exactWh = c.meterWh;
  }

  update(now: Date): void {
    if (this.ended) return;
    this.integrate(now.getTime());
    this.evaluate();
  }

  /** The car decides afresh what it wants: its maximum, tapered by its SoC, less a jitter; nothing while it pauses or when full. */
  decide(now: Date): void {
    if (this.ended) return;
    this.integrate(now.getTime());
    const { ev, pause } = this.input;
    const elapsedS = (this.at - this.input.start.getTime()) / 1000;
    const paused = elapsedS >= pause.atS && elapsedS < pause.atS + pause.forS;
    this.wanted = paused
      ? 0
      : wantedAmps(ev, this.cp.maxAmps, hashString(`${this.input.seed}:${this.decisions++}`) / 4294967296);
    this.evaluate();
  }

  /** When the draw may next change by itself between samples: a profile boundary (a period starts, a lease runs out). */
  nextChange(now: Date): number {
    const next = this.cp.profiles.nextChange(this.c.id, now, {
      id: this.input.transactionId(),
      start: this.input.start,
    });
    return next === undefined ? Infinity : Math.max(now.getTime() + 1, next);
  }

  /** The session ends at `at`: energy counted up to then, nothing drawn after. */
  end(at: Date): void {
    if (this.ended) return;
    this.integrate(at.getTime());
    this.ended = true;
    this.demand = [0, 0, 0];
    this.status = 'SuspendedEV';
    this.set(this.at, [0, 0, 0], 0);
  }

  private integrate(now: number): void {
    const t = Math.max(now, this.at);
    const dtS = (t - this.at) / 1000;
    this.at = t;
    if (dtS <= 0) return;
    const wh = (exactPowerW(this.amps) * dtS) / 3600;
    this.exactWh += wh;
    this.c.meterWh = Math.floor(this.exactWh);
    addEnergy(this.input.ev, wh);
  }

  private evaluate(): void {
    const { ev } = this.input;
    const offer = this.cp.offer(this.c, new Date(this.at), { id: this.input.transactionId(), start: this.input.start });
    const amps = offer.amps > 0 ? phaseDraw(ev, this.wanted, offer.amps, offer.phases) : ([0, 0, 0] as PhaseAmps);
    this.demand = phaseDraw(ev, this.wanted, this.cp.maxAmps, this.cp.phases);
    this.status = offer.amps === 0 ? 'SuspendedEVSE' : amps.some((a) => a > 0) ? 'Charging' : 'SuspendedEV';
    this.set(this.at, amps, offer.amps);
  }

  private set(t: number, amps: PhaseAmps, offeredA: number): void {
    const changed = offeredA !== this.offeredA || amps.some((a, i) => a !== this.amps[i]);
    this.amps = amps;
    this.offeredA = offeredA;
    if (changed)
      this.cp.drawChanged({
        connectorId: this.c.id,
        transactionId: this.input.transactionId(),
        at: new Date(t),
        amps,
        offeredA,
        demand: this.demand,
      });
  }
}
