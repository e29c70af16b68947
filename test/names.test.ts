// The name service (issue 14, part 3): test/fixtures/names.json (CPython 3.11 as the oracle,
// scripts/gen_names.py) replayed on the host under test (WASOCK_TEST_HOST; a host without
// name_lookup skips what needs it) and on the emulated network; then what the fixtures cannot
// pin: the emulated hosts table, machine names, the policy on what names resolve to, and the
// hosts without a name service.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { network } from '../src/emulated.js';
import { bindNetwork } from '../src/network.js';
import { LinuxHost } from '../host/linux/index.js';
import { CountingHost } from './helpers/counting-host.js';
import { replayIt } from './helpers/hosts.js';
import { AF_INET, AF_INET6, SOCK_STREAM, NotAvailableError, PermissionError, gaierror, herror, policy } from '../src/index.js';

interface Case {
  id: string; fn: string; args: unknown[]; mask?: string;
  result?: unknown; error?: { type: string; errno: number | null; message: string };
}
const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/names.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** A fixture value as JS: bytes, bigints and booleans are tagged; a list is a tuple. */
function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, string | boolean>;
    if ('bytes' in o) return Uint8Array.from(Buffer.from(o.bytes as string, 'hex'));
    if ('int' in o) return BigInt(o.int as string);
    if ('bool' in o) return o.bool;
    if ('float' in o) return Number(o.float);
  }
  return v;
}

/** JS has no float with an integral value (1.0 is 1): such a case cannot be asked from JS. */
function askable(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(askable);
  if (v !== null && typeof v === 'object' && 'float' in v) return !Number.isInteger(Number((v as { float: string }).float));
  return true;
}

type Api = Record<string, (...a: unknown[]) => unknown>;

function replay(api: Api, c: Case): void {
  let got: unknown, err: unknown = null;
  try { got = api[c.fn](...(decode(c.args) as unknown[])); } catch (e) { err = e; }
  if (err instanceof NotAvailableError) throw err;
  if (c.error) {
    expect(err, `${c.id} returned ${JSON.stringify(got)}`).toBeInstanceOf(Error);
    const e = err as Error & { errno?: number | null };
    expect(e.name).toBe(c.error.type);
    expect(e.message).toBe(c.error.message);
    if (c.error.errno !== null) expect(e.errno).toBe(c.error.errno);
    return;
  }
  if (err !== null) throw err;
  if (c.mask === 'lo') {
    // if_nameindex(): the machine's interfaces; (1, 'lo') is the one every Linux has.
    expect((got as [number, string][]).filter(([, n]) => n === 'lo')).toEqual(c.result);
    return;
  }
  expect(got).toEqual(c.result);
}

describe('names.json on the host under test', () => {
  for (const c of FIXTURE.cases) {
    if (!askable(c.args)) continue;
    replayIt(c.id, () => replay(w as unknown as Api, c));
  }
});

describe('names.json on the emulated network', () => {
  const net = network() as unknown as Api;
  for (const c of FIXTURE.cases) {
    if (!askable(c.args)) continue;
    it(c.id, () => replay(net, c));
  }
});

describe('the emulated network\'s hosts table', () => {
  const net = network({
    hosts: { 'db.example': ['10.0.0.5', 'fd00::5'], 'api.example': ['10.0.0.7'] },
    addresses: ['10.0.0.1'],
    machines: { web: { addresses: ['10.0.0.8'] } },
  });

  it('a name of `hosts` resolves to its addresses in RFC 6724 precedence order (IPv4 before a ULA), per family', () => {
    expect(net.getaddrinfo('db.example', 5432, 0, SOCK_STREAM)).toEqual([
      [AF_INET, SOCK_STREAM, 6, '', ['10.0.0.5', 5432]],
      [AF_INET6, SOCK_STREAM, 6, '', ['fd00::5', 5432, 0, 0]],
    ]);
    expect(net.getaddrinfo('DB.EXAMPLE', 'postgresql', AF_INET6)).toEqual([[AF_INET6, SOCK_STREAM, 6, '', ['fd00::5', 5432, 0, 0]]]);
    expect(net.gethostbyname('api.example')).toBe('10.0.0.7');
    expect(net.gethostbyname_ex('db.example')).toEqual(['db.example', [], ['10.0.0.5']]);
    expect(net.gethostbyaddr('10.0.0.5')).toEqual(['db.example', [], ['10.0.0.5']]);
    expect(net.getnameinfo(['fd00::5', 443, 0, 0], 0)).toEqual(['db.example', 'https']);
  });

  it('localhost is Debian\'s /etc/hosts: ::1 first for AF_UNSPEC, with its aliases on reverse lookup', () => {
    expect(net.getaddrinfo('localhost', 80, 0, SOCK_STREAM).map((r) => r[4][0])).toEqual(['::1', '127.0.0.1']);
    expect(net.gethostbyaddr('::1')).toEqual(['localhost', ['ip6-localhost', 'ip6-loopback'], ['::1']]);
    expect(net.getaddrinfo('ip6-loopback', null, AF_INET6, SOCK_STREAM, 0, 2)).toEqual([[AF_INET6, SOCK_STREAM, 6, 'localhost', ['::1', 0, 0, 0]]]);
  });

  it('AI_V4MAPPED gives an IPv4-only name as ::ffff:a.b.c.d for AF_INET6; without it the name has no IPv6 address', () => {
    expect(net.getaddrinfo('api.example', 80, AF_INET6, SOCK_STREAM, 0, 8)).toEqual([[AF_INET6, SOCK_STREAM, 6, '', ['::ffff:10.0.0.7', 80, 0, 0]]]);
    expect(() => net.getaddrinfo('api.example', 80, AF_INET6)).toThrow(gaierror);
  });

  it('a machine\'s name resolves to its addresses, and a socket connects to a name', () => {
    expect(net.gethostbyname('web')).toBe('10.0.0.8');
    const web = net.machine('web');
    const srv = new web.socket();
    srv.bind(['10.0.0.8', 8080]); srv.listen();
    const cli = new net.socket();
    cli.settimeout(5);
    cli.connect(['web', 8080]);
    const [peer] = srv.accept();
    expect((peer.getpeername() as [string, number])[0]).toBe('10.0.0.1');
    for (const s of [peer, cli, srv]) s.close();
    expect(() => new net.socket().connect(['nowhere.example', 80])).toThrow('[Errno -2] Name or service not known');
  });

  it('interfaces: lo, and eth0 on a machine with an address of its own', () => {
    expect(net.if_nameindex()).toEqual([[1, 'lo'], [2, 'eth0']]);
    expect(network().if_nameindex()).toEqual([[1, 'lo']]);
    expect(net.if_indextoname(2)).toBe('eth0');
    expect(() => network().if_nametoindex('eth0')).toThrow('no interface with this name');
  });

  it('an unknown name is gaierror -2 and an unknown address herror 1, as with no DNS', () => {
    expect(() => net.getaddrinfo('nope.example', 80)).toThrow(gaierror);
    let e: unknown = null;
    try { net.gethostbyaddr('10.9.9.9'); } catch (x) { e = x; }
    expect(e).toBeInstanceOf(herror);
    expect((e as herror).message).toBe('[Errno 1] Unknown host');
    expect(() => net.getnameinfo(['10.9.9.9', 80], 8)).toThrow('[Errno -2] Name or service not known');
    expect(net.getnameinfo(['10.9.9.9', 80], 0)).toEqual(['10.9.9.9', 'http']);
  });

  it('a hosts entry that is not an address, or a name with a blank, is refused when the network is made', () => {
    expect(() => network({ hosts: { db: ['not-an-ip'] } })).toThrow(TypeError);
    expect(() => network({ hosts: { 'a b': ['10.0.0.1'] } })).toThrow(TypeError);
  });
});

describe('the policy applies to what a name resolves to', () => {
  const hosts = { 'db.example': ['10.0.0.5', '10.9.0.5'], 'evil.example': ['10.66.0.1'] };
  const calls = (net: { socket: { _core(): { x: unknown } } }) => (net.socket._core().x as { emu_host_calls(): number }).emu_host_calls();

  it('denied addresses are filtered out; a name whose every address is denied is PermissionError', () => {
    const net = network({ hosts, policy: policy().allowTcp().allow('connect', '10.0.0.0/16') });
    expect(net.getaddrinfo('db.example', 80, AF_INET, SOCK_STREAM).map((r) => r[4][0])).toEqual(['10.0.0.5']);
    expect(net.gethostbyname_ex('db.example')).toEqual(['db.example', [], ['10.0.0.5']]);
    let e: unknown = null;
    try { net.getaddrinfo('evil.example', 80); } catch (x) { e = x; }
    expect(e).toBeInstanceOf(PermissionError);
    expect((e as PermissionError).message).toBe("[Errno 1] getaddrinfo of 'evil.example' denied by policy: no rule allows an address it resolves to");
    expect(() => new net.socket().connect(['evil.example', 80])).toThrow(PermissionError);
  });

  it('a policy naming no internet address denies every lookup before the host is asked (zero host calls)', () => {
    const net = network({ hosts, policy: policy().allowUnix().allow('connect', '/run/x.sock') });
    const before = calls(net);
    expect(() => net.getaddrinfo('db.example', 80)).toThrow(PermissionError);
    expect(() => net.gethostbyname('db.example')).toThrow(PermissionError);
    expect(() => net.gethostbyname_ex('db.example')).toThrow(PermissionError);
    expect(() => net.gethostbyaddr('10.0.0.5')).toThrow(PermissionError);
    expect(() => net.getnameinfo(['10.0.0.5', 80], 0)).toThrow(PermissionError);
    expect(calls(net)).toBe(before);
    // Numeric hosts need no lookup: they resolve, and connect checks them as before.
    expect(net.getaddrinfo('10.0.0.5', 80, AF_INET, SOCK_STREAM)).toEqual([[AF_INET, SOCK_STREAM, 6, '', ['10.0.0.5', 80]]]);
  });

  it('reverse lookups of an address no rule names are denied with zero host calls on the Linux host too', () => {
    const host = new CountingHost();
    const net = bindNetwork(host, { policy: policy().allowTcp().allow('connect', '127.0.0.1') });
    expect(net.gethostbyaddr('127.0.0.1')[2]).toEqual(['127.0.0.1']);
    host.reset();
    expect(() => net.gethostbyaddr('10.1.2.3')).toThrow(PermissionError);
    expect(host.counts).toEqual({});
  });
});

describe('hosts without a name service', () => {
  const caps = w.CAPABILITIES.filter((c) => c !== 'name_lookup' && c !== 'ioctl.windows');
  const net = bindNetwork(new LinuxHost(caps, 'linux-no-names'));

  it('a lookup raises NotAvailableError naming name_lookup; numeric hosts and ports need none', () => {
    for (const f of [() => net.getaddrinfo('localhost', 80), () => net.getaddrinfo('127.0.0.1', 'http'),
      () => net.gethostbyname('localhost'), () => net.gethostbyname_ex('localhost'), () => net.gethostbyaddr('127.0.0.1'), () => net.getnameinfo(['127.0.0.1', 80], 0),
      () => net.getservbyname('http'), () => net.getservbyport(80), () => net.getprotobyname('tcp'), () => net.if_nameindex(),
      () => net.if_nametoindex('lo'), () => net.if_indextoname(1)]) {
      let e: unknown = null;
      try { f(); } catch (x) { e = x; }
      expect(e).toBeInstanceOf(NotAvailableError);
      expect((e as NotAvailableError).capability).toBe('name_lookup');
    }
    expect(net.getaddrinfo('127.0.0.1', 80, AF_INET, SOCK_STREAM)).toEqual([[AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 80]]]);
    expect(net.getnameinfo(['127.0.0.1', 80], 3)).toEqual(['127.0.0.1', '80']);
    expect(net.gethostbyname('127.0.0.1')).toBe('127.0.0.1');
  });

  it("socket addresses keep the core's own answer there: 'localhost' is the loopback address, any other name gaierror -2", () => {
    const s = new net.socket();
    try {
      s.bind(['localhost', 0]);
      expect((s.getsockname() as [string, number])[0]).toBe('127.0.0.1');
      expect(() => s.connect(['nonexistent.invalid', 80])).toThrow('[Errno -2] Name or service not known');
    } finally { s.close(); }
  });
});
