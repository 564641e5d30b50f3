import type { AddressInfo } from 'node:net';
import ocpp from 'ocpp-rpc';

const { RPCServer } = ocpp;

/**
 * The baseline: an ocpp-rpc server in strict mode (the same schema
 * validation as the real one) that answers every charger call at once,
 * storing nothing. Run in its own process by run.ts; reports its port.
 */
const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
let tx = 0;
server.on('client', (client: InstanceType<typeof ocpp.RPCClient>) => {
  client.handle(async ({ method }) => {
    const now = new Date().toISOString();
    switch (method) {
      case 'BootNotification':
        return { status: 'Accepted', currentTime: now, interval: 300 };
      case 'Heartbeat':
        return { currentTime: now };
      case 'Authorize':
      case 'StopTransaction':
        return { idTagInfo: { status: 'Accepted' } };
      case 'StartTransaction':
        return { transactionId: ++tx, idTagInfo: { status: 'Accepted' } };
      default:
        return {};
    }
  });
});
const http = await server.listen(0, '127.0.0.1');
process.send?.({ type: 'ready', port: (http.address() as AddressInfo).port });
process.on('SIGTERM', () => void server.close({ force: true }).then(() => process.exit(0)));
