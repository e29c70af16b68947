// The main job, end to end: `wasock probe` (the built bin) opens real sockets and prints
// every readable option of the table, as a table or as JSON.
import { network as emulated } from '../src/emulated.js';
import { network as wasiP1 } from '../src/wasi-p1.js';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionTable } from '../src/options.js';
import { LinuxHost, NotAvailableError, AF_UNIX, AF_INET, SOCK_STREAM } from '../src/index.js';
import { network } from '../src/linux.js';
import { CAPABILITIES, type Capability } from '../host/types.js';

const bin = new URL('../dist/src/cli.js', import.meta.url).pathname;
const probe = (...args: string[]) => execFileSync('node', [bin, 'probe', ...args], { encoding: 'utf8' });
type Row = { level: string; name: string; int: number | null; bytes: string | null; error: string | null; errno: number | null };
const json = (...args: string[]) => JSON.parse(probe('--json', ...args)) as { socket: Record<string, unknown>; options: Row[] };
const byName = (rows: Row[]) => new Map(rows.map((r) => [`${r.level}/${r.name}`, r]));

describe('wasock probe', () => {
  it('--json reads every readable row of the option table, each a value or the kernel error', () => {
    const out = json('--family', 'inet', '--type', 'stream', '--state', 'connected');
    const readable = optionTable().filter((r) => r.get);
    expect(out.options.map((o) => `${o.level}/${o.name}`)).toEqual(readable.map((r) => `${r.levelName}/${r.name}`));
    for (const o of out.options) expect((o.int !== null) !== (o.bytes !== null) || o.error !== null, o.name).toBe(true);
    const m = byName(out.options);
    expect(m.get('SOL_SOCKET/SO_TYPE')!.int).toBe(1);
    expect(m.get('SOL_SOCKET/SO_DOMAIN')!.int).toBe(2);
    expect(m.get('IPPROTO_TCP/TCP_INFO')!.bytes!.slice(0, 2)).toBe('01');    // TCP_ESTABLISHED
    expect(m.get('IPPROTO_IPV6/IPV6_V6ONLY')!.errno).toBe(95);            // not an IPv6 socket
  });

  it('states and families: a listening socket reports SO_ACCEPTCONN 1; unix dgram reports SO_TYPE 2', () => {
    expect(byName(json('--state', 'listening').options).get('SOL_SOCKET/SO_ACCEPTCONN')!.int).toBe(1);
    const u = byName(json('--family', 'unix', '--type', 'dgram').options);
    expect(u.get('SOL_SOCKET/SO_TYPE')!.int).toBe(2);
    expect(u.get('SOL_SOCKET/SO_DOMAIN')!.int).toBe(1);
    const six = byName(json('--family', 'inet6', '--state', 'connected').options);
    expect(six.get('IPPROTO_IPV6/IPV6_V6ONLY')!.int).toBe(0);
  });

  it('prints a readable table by default, and rejects unknown arguments with exit status 2', () => {
    const text = probe('--type', 'dgram');
    expect(text).toMatch(/^wasock probe: inet dgram fresh socket/);
    expect(text).toMatch(/SOL_SOCKET\s+SO_TYPE\s+2\n/);
    const bad = spawnSync('node', [bin, 'probe', '--family', 'ipx'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown family ipx/);
  });
});

// The command line as any CLI's: help, version, errors with their exit statuses, options
// written --name=value, output errors that are not swallowed, no needless temp directory.
describe('wasock command line', () => {
  const run = (args: string[], env?: NodeJS.ProcessEnv) => spawnSync('node', [bin, ...args], { encoding: 'utf8', env: env ?? process.env });

  it('--help, -h, no arguments and probe --help print the usage on stdout and exit 0', () => {
    for (const args of [['--help'], ['-h'], [], ['probe', '--help'], ['probe', '-h']]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(" ")).toMatch(/^usage: wasock probe \[--host linux\|emulated\] \[--family inet\|inet6\|unix\]/);
      expect(r.stderr, args.join(' ')).toBe('');
    }
  });

  it("--version prints package.json's version and exits 0", () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = run(['--version']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `${version}\n`, '']);
  });

  it("an unknown command or option says so, points at --help and exits 2", () => {
    const cmd = run(['foo']);
    expect([cmd.status, cmd.stdout]).toEqual([2, '']);
    expect(cmd.stderr).toBe("wasock: unknown command 'foo'\nRun 'wasock --help' for usage.\n");
    const opt = run(['--frobnicate']);
    expect(opt.status).toBe(2);
    expect(opt.stderr).toMatch(/^wasock: unknown option '--frobnicate'\n.*--help/);
    const probeOpt = run(['probe', '--colour']);
    expect(probeOpt.status).toBe(2);
    expect(probeOpt.stderr).toMatch(/^wasock: unknown argument --colour\nusage:/);
  });

  it('--name=value is --name value for every option; a flag given a value is an error', () => {
    const a = JSON.parse(probe('--json', '--family=inet6', '--type=stream', '--state=listening')) as { socket: Record<string, unknown> };
    expect(a.socket).toMatchObject({ family: 'inet6', type: 'stream', state: 'listening' });
    const b = JSON.parse(probe('--json', '--family', 'inet6', '--type', 'stream', '--state', 'listening')) as { socket: Record<string, unknown> };
    expect(b.socket).toMatchObject(a.socket);
    expect(probe('--type=dgram')).toMatch(/^wasock probe: inet dgram fresh socket/);
    const bad = run(['probe', '--family=ipx']);
    expect([bad.status, bad.stderr.split('\n')[0]]).toEqual([2, 'wasock: unknown family ipx']);
    const flag = run(['probe', '--json=yes']);
    expect([flag.status, flag.stderr.split('\n')[0]]).toEqual([2, 'wasock: --json takes no value']);
    expect(run(['probe', '--family']).stderr.split('\n')[0]).toBe('wasock: --family needs a value');
  });

  it('a write error on stdout (ENOSPC: /dev/full) is reported on stderr and exits 1, not 0', () => {
    for (const args of [['probe'], ['probe', '--json'], ['--version'], ['--help']]) {
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync('node', [bin, ...args], { encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
        expect(r.status, args.join(' ')).toBe(1);
        expect(r.stderr, args.join(' ')).toMatch(/^wasock: cannot write the output: ENOSPC/);
      } finally {
        closeSync(full);
      }
    }
  });

  it('a closed stdout pipe (EPIPE) is reported and exits 1', async () => {
    const child = spawn('node', [bin, 'probe'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();              // closed before node has even started: the write fails
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/^wasock: cannot write the output: EPIPE/);
    expect(status).toBe(1);
  });

  it('a probe that binds no unix path needs no temp directory (TMPDIR missing or unset)', () => {
    const { TMPDIR: _, ...unset } = process.env;
    for (const env of [{ ...process.env, TMPDIR: '/nonexistent/wasock-tmp' }, unset]) {
      for (const args of [['--family=inet', '--state=connected'], ['--family=inet6', '--state=listening'], ['--family=unix', '--state=connected'], ['--family=unix']]) {
        const r = run(['probe', ...args], env);
        expect([r.status, r.stderr], `${args.join(' ')} TMPDIR=${env.TMPDIR}`).toEqual([0, '']);
      }
    }
    // A listening unix socket does bind a path: without a directory for it, the error says so.
    const r = run(['probe', '--family=unix', '--state=listening'], { ...process.env, TMPDIR: '/nonexistent/wasock-tmp' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ENOENT.*\/nonexistent\/wasock-tmp/);
  });
});

describe('wasock caps', () => {
  type CapsJson = { host: string; capabilities: { capability: string; available: boolean; gates: string[] }[] };
  const caps = (...args: string[]) => JSON.parse(execFileSync('node', [bin, 'caps', '--json', '--host', 'linux', ...args], { encoding: 'utf8' })) as CapsJson;

  it("lists every capability in the core's order, the Linux host's answer and what each gates", () => {
    const out = caps();
    expect(out.host).toBe('linux');
    expect(out.capabilities.map((c) => c.capability)).toEqual([...CAPABILITIES]);
    const linux = new LinuxHost();
    for (const c of out.capabilities) {
      expect(c.available, c.capability).toBe(linux.capabilities.has(c.capability as Capability));
      expect(c.gates.length, c.capability).toBeGreaterThan(0);
    }
    expect(out.capabilities.find((c) => c.capability === 'ioctl.windows')!.available).toBe(false);
    expect(out.capabilities.find((c) => c.capability === 'sendrecv')!.gates).toContain('socket.recv');
  });

  it('--without answers as a network with those capabilities taken away behaves', () => {
    const out = caps('--without=af_unix,socketpair');
    expect(out.host).toBe('linux without af_unix, socketpair');
    const off = out.capabilities.filter((c) => !c.available).map((c) => c.capability);
    expect(off.sort()).toEqual(['af_unix', 'ioctl.windows', 'socketpair']);
    const net = network({ capabilities: [...new LinuxHost().capabilities].filter((c) => !off.includes(c)) });
    expect(() => new net.socket(AF_UNIX, SOCK_STREAM)).toThrow(NotAvailableError);
    expect(() => net.socketpair()).toThrow(NotAvailableError);
    new net.socket(AF_INET, SOCK_STREAM).close();
    const bad = spawnSync('node', [bin, 'caps', '--without', 'teleport'], { encoding: 'utf8' });
    expect([bad.status, bad.stderr.split('\n')[0]]).toEqual([2, 'wasock: unknown capability teleport']);
  });

  it('without --host: the matrix of every host, as each host declares itself; --options: each option per host', () => {
    type Matrix = { hosts: string[]; capabilities: { capability: string; available: Record<string, boolean> }[]; options: { option: string; level: string; status: Record<string, string> }[] };
    const m = JSON.parse(execFileSync('node', [bin, 'caps', '--json', '--options'], { encoding: 'utf8' })) as Matrix;
    expect(m.hosts).toEqual(['linux', 'emulated', 'emulated-windows', 'wasi-p1']);
    const hosts: Record<string, ReadonlySet<string>> = {
      linux: new LinuxHost().capabilities,
      emulated: emulated({ seed: 0 }).host.capabilities,
      'emulated-windows': emulated({ seed: 0, profile: 'windows' }).host.capabilities,
      'wasi-p1': wasiP1().host.capabilities,
    };
    for (const c of m.capabilities) for (const h of m.hosts) expect(c.available[h], `${h} ${c.capability}`).toBe(hosts[h].has(c.capability));
    expect(m.options.length).toBe(238);
    const status = (name: string, level = 'SOL_SOCKET') => m.options.find((o) => o.option === name && o.level === level)!.status;
    expect(status('SO_TYPE')).toEqual({ linux: 'applied', emulated: 'derived', 'emulated-windows': 'derived', 'wasi-p1': 'absent' });
    for (const o of m.options) expect(o.status['wasi-p1'], o.option).toBe('absent');
    expect(status('SO_RCVBUF').emulated).toBe('applied');
    expect(status('TCP_KEEPIDLE', 'IPPROTO_TCP').emulated).toBe('applied');
    for (const o of m.options) expect(['applied', 'stored', 'derived', 'absent'], o.option).toContain(o.status.emulated);
  });
});

describe('wasock probe --host emulated', () => {
  it('reads every option of an emulated socket, with no system call and no temporary directory', () => {
    const out = JSON.parse(execFileSync('node', [bin, 'probe', '--host', 'emulated', '--family', 'unix', '--state', 'listening', '--json'], { encoding: 'utf8', env: { ...process.env, TMPDIR: '/nonexistent/wasock-tmp' } })) as { host: string; kernel: string; options: { name: string; int: number | null }[] };
    expect([out.host, out.kernel]).toEqual(['emulated', 'emulated']);
    expect(out.options.find((o) => o.name === 'SO_ACCEPTCONN')!.int).toBe(1);
    expect(out.options.find((o) => o.name === 'SO_DOMAIN')!.int).toBe(1);
  });
});
