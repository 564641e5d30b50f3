import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { createLoadLeadership, type LoadLeadership } from './leadership.ts';
import { startOverLimitMonitor, type OverLimitMonitor } from './over-limit.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether this process allocates the site's current (server/load/leadership.ts). */
    loadLeadership: LoadLeadership;
    /** The over-limit alarm, judging the leader's load pictures (server/load/over-limit.ts). */
    loadOverLimit: OverLimitMonitor;
  }
}

/**
 * Load leadership on the app, and what runs only on the leader that is not
 * the controller: the over-limit alarm. Closing hands the lease back, so
 * another process allocates at once instead of after the lease runs out.
 */
async function loadLeadershipPlugin(app: FastifyInstance) {
  const leadership = await createLoadLeadership(app);
  app.decorate('loadLeadership', leadership);
  app.decorate('loadOverLimit', startOverLimitMonitor(app, leadership));
  new Gauge({
    name: 'chargeops_load_leader',
    help: "1 while this process allocates the site's current (the load leadership lease), else 0",
    registers: [app.metrics],
    collect() {
      this.set(leadership.isLeader() ? 1 : 0);
    },
  });
  app.addHook('onClose', async () => {
    await app.loadOverLimit.close();
    await leadership.close();
  });
}

export default fp(loadLeadershipPlugin, { name: 'load-leadership', dependencies: ['repos', 'metrics'] });
