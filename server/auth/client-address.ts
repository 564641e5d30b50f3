import { BlockList, isIP, isIPv6 } from 'node:net';

/**
 * The key a client's address is throttled under. IPv4-mapped IPv6
 * (`::ffff:203.0.113.7`, what a dual-stack socket reports) is the IPv4
 * address. Other IPv6 addresses count by their /64: one subscriber or site
 * is handed a whole /64, so counting single addresses would let it rotate
 * through 2^64 of them and never be capped.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address (zone id dropped, `::` filled in, IPv4 tail converted). */
function expandIPv6(address: string): string[] {
  let a = address.split('%')[0]!.toLowerCase();
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) {
    const [b0, b1, b2, b3] = v4.slice(1).map(Number) as [number, number, number, number];
    a = `${a.slice(0, v4.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = a.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((h) => Number.parseInt(h || '0', 16).toString(16));
}

/** Whether an address is one of the configured reverse proxies (TRUST_PROXY entries). */
export function proxyTrust(entries: string[]): (address: string) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
    const a = mapped ? mapped[1]! : address;
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * The client's address behind trusted proxies, as Fastify computes `req.ip`
 * with the same trust function: walk X-Forwarded-For from the right while the
 * hop is a trusted proxy; the first hop that is not is the client. A socket
 * that is not a trusted proxy speaks for itself (its header is ignored).
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: (address: string) => boolean,
): string | undefined {
  if (!socketAddress || !trusted(socketAddress) || !forwardedFor) return socketAddress;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  let client = socketAddress;
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isIP(hops[i]!)) break; // garbage: stop at the last address a trusted proxy vouched for
    client = hops[i]!;
    if (!trusted(client)) break;
  }
  return client;
}
