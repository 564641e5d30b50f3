import ocppRpc from 'ocpp-rpc';

/**
 * ocpp-rpc is CommonJS and spreads its error classes into module.exports,
 * which Node's ESM named-import detection cannot see; take them from the
 * default export in this one place.
 */
export const { RPCServer, RPCClient, RPCError, TimeoutError, createRPCError, createValidator, NOREPLY } = ocppRpc;
export type RPCClient = InstanceType<typeof RPCClient>;
export type RPCError = InstanceType<typeof RPCError>;
