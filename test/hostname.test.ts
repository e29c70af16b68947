// gethostname() and sethostname(name) (issue 14 item 2): the Linux host against python3 run on
// the same machine (CPython 3.11 as the oracle: the name, and the exception for each bad
// argument), a real rename round trip when running as root (the old name restored in
// `finally`), the emulated network's per-machine names (privileged or not), the policy's
// refusal before any host call, and the hosts without the capability.
import { execFileSync } from 'node:child_process';
import { hostname as osHostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { network } from '../src/emulated.js';
import { network as wasiP1Network } from '../src/wasi-p1.js';
import { bindNetwork } from '../src/network.js';
import { LinuxHost } from '../host/linux/index.js';
import { CountingHost } from './helpers/counting-host.js';
import { NotAvailableError, PermissionError, OSError, policy } from '../src/index.js';

const isRoot = process.getuid?.() === 0;

function py(code: string): string {
  return execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim();
}

/** [class name, errno or null, str(e)] of what f throws, or 'ok'. */
function outcome(f: () => unknown): [string, number | null, string] | 'ok' {
  try { f(); return 'ok'; } catch (e) {
    const x = e as { name: string; errno?: number; message: string };
    return [x.name, x.errno ?? null, x.message];
  }
}

/**
 * Bad arguments, as a Python expression for the argument tuple and its JS twin. None of them
 * renames the machine (each is refused before or by the kernel), so python3 may be asked too.
 */
const BAD: [string, unknown[]][] = [
  ['()', []],
  ['(1,)', [1]],
  ['(None,)', [null]],
  ['(1.5,)', [1.5]],
  ['([],)', [[]]],
  ["('a', 'b')", ['a', 'b']],
  ["('a\\x00',)", ['a\0']],
  ["('\\ud800',)", ['\ud800']],
  ["(memoryview(b'abcd'),)", [new Float32Array(1)]],
  ["('x' * 65,)", ['x'.repeat(65)]],
  ["(b'x' * 65,)", [new Uint8Array(65).fill(0x78)]],
  ["('x' * 5000,)", ['x'.repeat(5000)]],
];

describe('the Linux host: CPython 3.11 as the oracle', () => {
  it("gethostname() is python3's socket.gethostname() and Node's os.hostname()", () => {
    const name = w.gethostname();
    expect(name).toBe(py('import socket; print(socket.gethostname())'));
    expect(name).toBe(osHostname());
    expect(() => (w.gethostname as (...a: unknown[]) => string)(1)).toThrow('_socket.gethostname() takes no arguments (1 given)');
  });

  it("bad arguments get CPython's exception class, errno and message", () => {
    const expected = JSON.parse(py(`
import socket, json
out = []
for args in [${BAD.map(([p]) => p).join(', ')}]:
    try:
        socket.sethostname(*args)
        out.append('ok')
    except Exception as e:
        out.append([type(e).__name__, getattr(e, 'errno', None), str(e)])
print(json.dumps(out))`)) as unknown[];
    const got = BAD.map(([, args]) => outcome(() => (w.sethostname as (...a: unknown[]) => void)(...args)));
    expect(got).toEqual(expected);
    expect(got).not.toContain('ok');
  });

  it.runIf(isRoot)('as root: sethostname of the same name (str, then bytes) round-trips; the old name is restored', () => {
    const old = w.gethostname();
    try {
      w.sethostname(old);
      expect(w.gethostname()).toBe(old);
      w.sethostname(new TextEncoder().encode(old));
      expect(w.gethostname()).toBe(old);
      expect(py('import socket; print(socket.gethostname())')).toBe(old);
    } finally {
      if (w.gethostname() !== old) w.sethostname(old);
    }
  });

  it.runIf(!isRoot)('unprivileged: sethostname is PermissionError (EPERM), as python3 gets', () => {
    const e = outcome(() => w.sethostname(w.gethostname()));
    expect(e).toEqual(['PermissionError', 1, '[Errno 1] Operation not permitted']);
  });

  it('under a policy sethostname is refused with zero host calls; gethostname still answers', () => {
    const host = new CountingHost();
    const net = bindNetwork(host, { policy: policy().allowTcp().allow('connect', '127.0.0.1') });
    expect(net.gethostname()).toBe(osHostname());
    host.reset();
    const e = outcome(() => net.sethostname('sandboxed'));
    expect(e).toEqual(['PermissionError', 1, '[Errno 1] sethostname denied by policy: a sandbox does not rename the machine']);
    expect(host.counts).toEqual({});
    expect(w.gethostname()).toBe(osHostname());
  });

  it('a Linux host without the capability raises NotAvailableError naming it', () => {
    const caps = w.CAPABILITIES.filter((c) => c !== 'hostname' && c !== 'ioctl.windows');
    const net = bindNetwork(new LinuxHost(caps, 'linux-no-hostname'));
    for (const f of [() => net.gethostname(), () => net.sethostname('x')]) {
      let e: unknown = null;
      try { f(); } catch (x) { e = x; }
      expect(e).toBeInstanceOf(NotAvailableError);
      expect((e as NotAvailableError).capability).toBe('hostname');
    }
  });
});

describe('the emulated network: a name per machine', () => {
  const calls = (net: { socket: { _core(): { x: unknown } } }) => (net.socket._core().x as { emu_host_calls(): number }).emu_host_calls();

  it("each machine's name is its name in the network (the default machine's 'localhost', which resolves)", () => {
    const net = network({ machines: { db: { addresses: ['10.0.0.2'] } } });
    expect(net.gethostname()).toBe('localhost');
    expect(net.gethostbyname(net.gethostname())).toBe('127.0.0.1');
    expect(net.machine('db').gethostname()).toBe('db');
  });

  it('unprivileged: EPERM (CAP_SYS_ADMIN is checked before the length, as Linux does)', () => {
    const net = network();
    expect(outcome(() => net.sethostname('x'))).toEqual(['PermissionError', 1, '[Errno 1] Operation not permitted']);
    expect(outcome(() => net.sethostname('x'.repeat(5000)))).toEqual(['PermissionError', 1, '[Errno 1] Operation not permitted']);
    expect(net.gethostname()).toBe('localhost');
  });

  it("privileged: the machine's own name changes (str or bytes, undecodable bytes surrogate-escaped); over 64 bytes EINVAL", () => {
    const net = network({ privileged: true, machines: { db: { addresses: ['10.0.0.2'] } } });
    net.sethostname('web-1');
    expect(net.gethostname()).toBe('web-1');
    expect(net.machine('db').gethostname()).toBe('db');
    net.machine('db').sethostname(Uint8Array.from([0x64, 0xff]));
    expect(net.machine('db').gethostname()).toBe('d\udcff');
    net.machine('db').sethostname('d\udcff');        // fsencode gives the byte back
    expect(net.machine('db').gethostname()).toBe('d\udcff');
    net.sethostname('x'.repeat(64));
    expect(net.gethostname()).toBe('x'.repeat(64));
    const e = outcome(() => net.sethostname('y'.repeat(65)));
    expect(e).toEqual(['OSError', 22, '[Errno 22] Invalid argument']);
    expect(net.gethostname()).toBe('x'.repeat(64));
  });

  it('under a policy: PermissionError with zero host calls, even when privileged', () => {
    const net = network({ privileged: true, policy: policy().allowTcp().allow('connect', '10.0.0.0/8') });
    const before = calls(net);
    let e: unknown = null;
    try { net.sethostname('renamed'); } catch (x) { e = x; }
    expect(e).toBeInstanceOf(PermissionError);
    expect(e).toBeInstanceOf(OSError);
    expect(calls(net)).toBe(before);
    expect(net.gethostname()).toBe('localhost');
  });
});

describe('hosts without a machine name', () => {
  it('wasi-p1: absent from its network (Python: "Availability: not WASI"); its core raises NotAvailableError naming hostname', () => {
    const p1 = wasiP1Network();
    expect('gethostname' in p1 || 'sethostname' in p1).toBe(false);
    // The same host bound without the network's removal: the core refuses, the host is never asked.
    const raw = bindNetwork(p1.host);
    for (const f of [() => raw.gethostname(), () => raw.sethostname('x')]) {
      let e: unknown = null;
      try { f(); } catch (x) { e = x; }
      expect(e).toBeInstanceOf(NotAvailableError);
      expect((e as NotAvailableError).capability).toBe('hostname');
      expect((e as Error).message).toMatch(/^(get|set)hostname is not available on wasi-p1 \(it needs the 'hostname' capability\)/);
    }
  });
});
