import type { ChargePoint } from './charge-point.ts';
import type { SimClock } from './clock.ts';
import { SessionDraw } from './draw.ts';
import { randomEv, type Ev } from './ev-model.ts';
import { meterSample } from './meter.ts';
import type { Connector, ConnectorStatus, Session, StopReason } from './types.ts';

export interface SessionPlan {
  idTag: string;
  clock: SimClock;
  /** How long the car stays plugged in if nothing stops the session earlier, seconds. */
  plugS: number;
  /** Seconds between MeterValues; the live run reads MeterValueSampleInterval. */
  sampleS: () => number;
  /** Started by RemoteStartTransaction: authorize only if AuthorizeRemoteTxRequests (§5.11). */
  remote?: boolean;
  reservationId?: number;
  /** Back-fill: wait for each message's answer, so the run goes at the server's pace. */
  paced?: boolean;
  /** Back-fill: past status changes are not sent (they would only overwrite the present one). */
  silentStatus?: boolean;
  /** The car; a random one from the charger's Rng when not given. */
  ev?: Ev;
}

/**
 * One charging session on a connector (OCPP 1.6 §3.6 and §4.8-4.10):
 * Preparing → Authorize → StartTransaction → Charging with periodic MeterValues
 * (SuspendedEV when the car pauses or is full, SuspendedEVSE when a profile
 * offers less than 6 A) → StopTransaction with transactionData → Finishing → Available.
 */
export async function runSession(cp: ChargePoint, c: Connector, plan: SessionPlan): Promise<void> {
  const { clock } = plan;
  const rng = cp.rng;
  const status = (s: ConnectorStatus, clk: SimClock, paced?: boolean) =>
    plan.silentStatus ? void (c.status = s) : cp.setStatus(c, s, clk, paced);
  await status('Preparing', clock, plan.paced);
  const authorizeFirst = !plan.remote || cp.config.bool('AuthorizeRemoteTxRequests');
  if (authorizeFirst && !(await cp.authorize(plan.idTag))) {
    c.starting = false;
    // A TxProfile that came with the RemoteStartTransaction had no transaction to apply to.
    cp.profiles.dropTxProfiles(c.id);
    await status('Finishing', clock, plan.paced);
    await clock.sleep(30_000);
    await status(cp.idleStatus(c), clock, plan.paced);
    return;
  }
  const ev = plan.ev ?? randomEv(rng, cp.phases);
  const pauseAtS = rng.chance(0.2) ? rng.between(0.1, 0.6) * plan.plugS : Infinity;
  const pauseS = rng.between(300, 1800);
  const start = clock.now();
  const draw = new SessionDraw(cp, c, {
    ev,
    start,
    seed: rng.int(0, 2 ** 31),
    transactionId: () => session.transactionId,
    pause: { atS: pauseAtS, forS: pauseS },
  });
  let wakeUp = new AbortController();
  const session: Session = {
    idTag: plan.idTag,
    start,
    meterStartWh: c.meterWh,
    ev,
    stop: new AbortController(),
    clock,
    draw,
    wake: () => wakeUp.abort(),
    done: Promise.resolve(),
  };
  let finish!: () => void;
  session.done = new Promise((r) => (finish = r));
  c.session = session;
  c.starting = false;
  const reservationId = c.reservation?.id ?? plan.reservationId;
  c.reservation = undefined;
  cp.emit('session-start', `connector ${c.id} idTag ${plan.idTag}`, clock);
  // Another connector's share of a ChargePointMaxProfile changes with this session.
  cp.refresh();

  const send = (p: Promise<unknown>) => (plan.paced ? p : undefined);
  await send(
    cp.outbox.push(
      'StartTransaction',
      () => ({
        connectorId: c.id,
        idTag: session.idTag,
        meterStart: session.meterStartWh,
        timestamp: session.start.toISOString(),
        ...(reservationId !== undefined ? { reservationId } : {}),
      }),
      (res) => {
        const r = res as { transactionId: number; idTagInfo: { status: string } };
        session.transactionId = r.transactionId;
        // A TxProfile for this transaction may have come first (§3.13.1): it applies from now.
        cp.refresh();
        // §4.8: a transaction whose idTag the server does not accept is stopped (StopTransactionOnInvalidId).
        if (r.idTagInfo.status !== 'Accepted' && cp.config.bool('StopTransactionOnInvalidId')) {
          session.stopReason = 'DeAuthorized';
          session.stop.abort();
        }
      },
    ),
  );

  const endAt = session.start.getTime() + plan.plugS * 1000;
  let nextSampleAt = session.start.getTime();
  let context = 'Transaction.Begin';
  while (!session.stop.signal.aborted && clock.now().getTime() < endAt) {
    const now = clock.now();
    const sampling = now.getTime() >= nextSampleAt;
    // The car re-decides what it wants at each sample (as it did between samples before); profiles act in between.
    if (sampling) draw.decide(now);
    else draw.update(now);
    await status(draw.status, clock, plan.paced);
    if (sampling) {
      // The sample is taken now; only the transactionId is filled in when it is sent (a queued sample keeps its own time and reading).
      const sample = meterSample({
        registerWh: c.meterWh,
        amps: draw.amps,
        offeredA: draw.offeredA,
        phases: cp.phases,
        at: now,
        context,
        socPercent: ev.reportsSoc ? ev.socPercent : undefined,
      });
      context = 'Sample.Periodic';
      await send(cp.outbox.push('MeterValues', () => meterValues(c, session, sample)));
      nextSampleAt = now.getTime() + plan.sampleS() * 1000;
    }
    const wakeAt = Math.min(nextSampleAt, endAt, draw.nextChange(clock.now()));
    await clock.sleep(
      Math.max(0, wakeAt - clock.now().getTime()),
      AbortSignal.any([session.stop.signal, wakeUp.signal]),
    );
    if (wakeUp.signal.aborted) wakeUp = new AbortController();
  }
  draw.end(clock.now());

  if (cp.halted) {
    c.session = undefined;
    finish();
    return;
  }
  const reason: StopReason = session.stopReason ?? (rng.chance(0.7) ? 'EVDisconnected' : 'Local');
  const stopAt = clock.now();
  // Built after the StartTransaction ahead of it was answered (the outbox never gives a StartTransaction up), so the id is known;
  // -1 only if the session was never started on the server's side, which the schema still requires to be an integer.
  const stopped = cp.outbox.push('StopTransaction', () => ({
    ...(session.transactionId !== undefined ? { transactionId: session.transactionId } : { transactionId: -1 }),
    idTag: session.idTag,
    meterStop: c.meterWh,
    timestamp: stopAt.toISOString(),
    reason,
    transactionData: [
      { timestamp: session.start.toISOString(), sampledValue: [energy(session.meterStartWh, 'Transaction.Begin')] },
      { timestamp: stopAt.toISOString(), sampledValue: [energy(c.meterWh, 'Transaction.End')] },
    ],
  }));
  await send(stopped);
  cp.emit(
    'session-stop',
    `connector ${c.id} ${reason} ${((c.meterWh - session.meterStartWh) / 1000).toFixed(2)} kWh`,
    clock,
  );
  cp.profiles.dropTxProfiles(c.id);
  c.session = undefined;
  cp.refresh();
  await status('Finishing', clock, plan.paced);
  if (reason !== 'EVDisconnected' && reason !== 'SoftReset' && reason !== 'HardReset')
    await clock.sleep(rng.between(30, 300) * 1000);
  cp.applyScheduledAvailability(c);
  await status(cp.idleStatus(c), clock, plan.paced);
  finish();
}

function meterValues(c: Connector, s: Session, sample: ReturnType<typeof meterSample>) {
  return {
    connectorId: c.id,
    ...(s.transactionId !== undefined ? { transactionId: s.transactionId } : {}),
    meterValue: [sample],
  };
}

function energy(wh: number, context: string) {
  return { value: String(wh), context, measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' };
}
