import pLimit from 'p-limit';

/**
 * How many commands the load controller has in flight at once. Each answer
 * is audited in command_log (actuator.ts); a site of 10,000 chargers booting
 * with distribution off would otherwise send 10,000 ClearChargingProfile at
 * once and queue as many audit inserts in front of the chargers' own
 * messages, whose handlers then miss their deadline (measured with
 * `npm run bench:ocpp`: 118 calls/s and 114,483 InternalErrors). A bound
 * keeps the OCPP path's share of the pool; a round still reaches every
 * charger, lowers all answered before any raise.
 */
export const LOAD_SENDS_IN_FLIGHT = 16;

/** Runs `fn` over `items` with at most LOAD_SENDS_IN_FLIGHT at a time; resolves with the results in order. */
export function sendAllLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(LOAD_SENDS_IN_FLIGHT);
  return Promise.all(items.map((item) => limit(() => fn(item))));
}
