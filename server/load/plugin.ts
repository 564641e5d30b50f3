import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { LoadSnapshot } from '../../contracts/load.ts';
import { LoadController } from './controller.ts';
import { Measurements } from './measurements.ts';
import { loadSiteModel } from './site-model.ts';
import { buildSnapshot } from './snapshot.ts';

/** Site load management as the rest of the app sees it (docs/LOAD.md). */
export interface LoadService {
  /** The present allocation (the leader's own, or the last `load.changed` it published); undefined before the first. */
  snapshot(): LoadSnapshot | undefined;
  /** The snapshot, or, when there is none (load control off, or not computed yet), the site read now with every session unmanaged. */
  read(): Promise<LoadSnapshot>;
  /** A session's present allowance, A per phase; undefined when the controller has none for it (then the charger's own maximum holds). */
  allowanceOf(chargerId: string, connectorId: number): number | undefined;
  /** Runs a round soon (lease renewals and retries are checked by a timer; tests that move the clock call this). */
  refresh(): void;
  /** Resolves once no round is running or waiting. */
  settle(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    load: LoadService;
  }
}

/** How often the injected clock is asked whether a lease renewal or a retry is due. */
const TICK_MS = 1000;

async function observe(app: FastifyInstance): Promise<LoadSnapshot> {
  return buildSnapshot(await loadSiteModel(app), 'unmanaged', new Measurements(), app.clock.now(), false);
}

/**
 * The load controller in the app: fed by every event on `app.events` (with
 * Redis, every process's), ticking for lease renewals. With LOAD_CONTROL
 * false nothing runs: nothing is sent and every session is unmanaged.
 */
async function loadPlugin(app: FastifyInstance) {
  if (!app.config.loadControl) {
    app.decorate('load', {
      snapshot: () => undefined,
      read: () => observe(app),
      allowanceOf: () => undefined,
      refresh: () => {},
      settle: async () => {},
    } satisfies LoadService);
    return;
  }
  // Which process steers (leadership.ts: one per site with Redis, this one without); its plugin closes it.
  const leadership = app.loadLeadership;
  const controller = new LoadController(app, leadership);
  const unsubscribe = app.events.subscribe((e) => controller.onEvent(e));
  const offLeader = leadership.onChange((leader) => {
    if (leader) controller.takeOver();
    else controller.standBy();
  });
  const tick = setInterval(() => {
    if (controller.due()) controller.schedule(0);
  }, TICK_MS);
  tick.unref();

  app.decorate('load', {
    snapshot: () => controller.snapshot(),
    read: async () => controller.snapshot() ?? observe(app),
    allowanceOf(chargerId, connectorId) {
      const snap = controller.snapshot();
      return snap?.sessions.find((s) => s.chargerId === chargerId && s.connectorId === connectorId)?.allowed;
    },
    refresh: () => controller.schedule(0),
    settle: () => controller.settle(),
  } satisfies LoadService);

  app.addHook('onReady', async () => {
    if (leadership.isLeader()) controller.takeOver();
  });
  // Before the chargers' sockets close (ocpp preClose): what fails from here on is the shutdown, not the chargers.
  app.addHook('preClose', async () => {
    clearInterval(tick);
    unsubscribe();
    offLeader();
    controller.stop();
  });
  app.addHook('onClose', async () => {
    await controller.close();
  });
}

export default fp(loadPlugin, { name: 'load', dependencies: ['repos', 'ocpp', 'load-leadership'] });
