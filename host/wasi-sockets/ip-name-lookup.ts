// wasi:sockets/ip-name-lookup without DNS: IP literals, "localhost" and /etc/hosts (a
// loopback-only machine has no resolver; the emulated network has no DNS either). What is
// not found is name-unresolvable. The input checks are wasmtime's (url::Host::parse, as in
// p2_ip_name_lookup): empty, forbidden host code points, a port or a URL are invalid-argument.
import { readFileSync } from 'node:fs';
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

function hostsFile(): Map<string, IpAddress[]> {
  const m = new Map<string, IpAddress[]>();
  let text = '';
  try { text = readFileSync('/etc/hosts', 'utf8'); } catch { /* no hosts file: literals and localhost only */ }
  for (const line of text.split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length < 2) continue;
    const a = literal(f[0]);
    if (a === null) continue;
    for (const n of f.slice(1)) {
      const k = n.toLowerCase();
      const l = m.get(k) ?? [];
      l.push(a);
      m.set(k, l);
    }
  }
  return m;
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
  const found = p.kind === 'linux' ? hostsFile().get(key) : undefined;
  if (found !== undefined && found.length !== 0) return found;
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
