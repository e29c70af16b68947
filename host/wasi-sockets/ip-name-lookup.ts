// wasi:sockets/ip-name-lookup over the network's own name service (src/names.ts: glibc's
// resolver on the Linux host, the hosts table on the emulated network; its policy applies):
// IP literals answer themselves; a network without name_lookup knows "localhost" only. What
// is not found is name-unresolvable. The input checks are wasmtime's (url::Host::parse, as in
// p2_ip_name_lookup): empty, forbidden host code points, a port or a URL are invalid-argument.
import { parseIpv4, parseIpv6, type IpAddress } from './address.js';
import { ALWAYS, Pollable } from './poll.js';
import type { Provider } from './provider.js';
import { Network } from './network.js';

/** WHATWG URL's forbidden host code points (and the C0 controls). */
const FORBIDDEN = /[\u0000-\u0020#%/:<>?@[\\\]^|\u007f]/;

function literal(name: string): IpAddress | null {
  const v4 = parseIpv4(name);
  if (v4 !== null) return { tag: 'ipv4', val: v4 };
  const v6 = parseIpv6(name);
  return v6 !== null ? { tag: 'ipv6', val: v6 } : null;
}

/** The network's answer for a name (getaddrinfo, one address per SOCK_STREAM answer), or the error-code. */
function resolved(p: Provider, name: string): IpAddress[] {
  let infos: [number, number, number, string, (string | number)[]][];
  try {
    infos = p.net.getaddrinfo(name, null, 0, 1 /* SOCK_STREAM */) as typeof infos;
  } catch (e) {
    const errno = (e as { errno?: number }).errno;
    if ((e as Error).name === 'gaierror' && (errno === -2 || errno === -5)) throw 'name-unresolvable';
    if ((e as Error).name === 'gaierror' && errno === -3) throw 'temporary-resolver-failure';
    throw 'permanent-resolver-failure';
  }
  return infos.map((i) => literal(String(i[4][0]))!).filter((a) => a !== null);
}

/** The addresses of `name`, or the error-code (thrown). */
export function lookup(p: Provider, name: string): IpAddress[] {
  if (typeof name !== 'string' || name.length === 0) throw 'invalid-argument';
  if (name.startsWith('[')) {
    if (!name.endsWith(']')) throw 'invalid-argument';
    const v6 = parseIpv6(name.slice(1, -1));
    if (v6 === null) throw 'invalid-argument';
    return [{ tag: 'ipv6', val: v6 }];
  }
  const lit = literal(name);
  if (lit !== null) return [lit];
  if (FORBIDDEN.test(name)) throw 'invalid-argument';
  const key = name.toLowerCase().replace(/\.$/, '');
  if (p.net.host.capabilities.has('name_lookup')) return resolved(p, key);
  if (key === 'localhost' || key.endsWith('.localhost')) {
    return [{ tag: 'ipv4', val: [127, 0, 0, 1] }, { tag: 'ipv6', val: [0, 0, 0, 0, 0, 0, 0, 1] }];
  }
  throw 'name-unresolvable';
}

export class ResolveAddressStream {
  private i = 0;
  /** @internal */
  constructor(private readonly p: Provider, private readonly list: IpAddress[] | null, private readonly err: string | null) {}
  resolveNextAddress(): IpAddress | undefined {
    if (this.err !== null) throw this.err;
    return this.list![this.i++];
  }
  subscribe(): Pollable { return new Pollable(this.p.b, ALWAYS); }
  [Symbol.dispose](): void { /* nothing held */ }
}

/** resolve-addresses(network, name): checks now, answers at once (no resolver to wait for). */
export function resolveAddresses(p: Provider, network: Network, name: string): ResolveAddressStream {
  if (!(network instanceof Network) || network._p !== p) throw 'invalid-argument';
  if (!p.net.host.capabilities.has('name_lookup')) throw 'permanent-resolver-failure';
  let list: IpAddress[] | null = null, err: string | null = null;
  try { list = lookup(p, name); } catch (e) {
    if (e === 'invalid-argument') throw e;
    err = e as string;
  }
  return new ResolveAddressStream(p, list, err);
}
