#!/usr/bin/env node
// wasock's command line. `wasock probe` opens a socket of the asked kind on the real
// kernel and reads every option of the option table, the way Python's getsockopt would.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { release, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as w from './index.js';
import { optionTable, type OptionRow } from './options.js';
import { DECODERS, formatDecoded, jsonDecoded, type Decoder } from './decoders.js';
import { CAPABILITIES, CAPABILITY_GATES } from './generated/contract.js';
import { EMULATED_OPTIONS } from './generated/emulated-options.js';
import { network as emulatedNetwork, EMULATED_CAPS } from './emulated.js';
import { WASI_P1_CAPS } from '../host/wasi-p1/caps.js';

/** The module API a probe runs on: the top level (the Linux host) or an emulated network. */
type Api = Pick<typeof w, 'socket' | 'socketpair' | 'AF_INET' | 'AF_INET6' | 'AF_UNIX' | 'SOCK_STREAM' | 'SOCK_DGRAM'>;

const USAGE = `usage: wasock probe [--host linux|emulated] [--family inet|inet6|unix] [--type stream|dgram]
                    [--state fresh|listening|connected] [--json]
       wasock caps [--host linux|emulated|emulated-windows|wasi-p1] [--without cap,cap...] [--options] [--json]
       wasock --help | --version

probe   open a socket of that kind on the host (the Linux kernel, or the emulated network;
        connected: over loopback) and read every option of the option table as Python's
        getsockopt would; a table, or JSON with --json. Defaults: --host linux
        --family inet --type stream --state fresh.
        An option's value may follow an '=': --family=inet6.
caps    capability sets, without trying anything: each capability, whether each host has it,
        and the calls that need it (NotAvailableError without it). Without --host, the
        matrix of every host; --host one host; --without takes capabilities away, as
        network({ capabilities }) does. --options adds each option's status per host:
        applied (reaches the OS, or has its effect), stored (kept and reported, no effect),
        derived (computed from the socket's state), absent (the host's errno).`;

interface Probe {
  level: string; name: string; kind: string; format: string;
  int: number | null; bytes: string | null; error: string | null; errno: number | null;
  /** The bytes through the row's decoder (JSON-safe: bigint as a decimal string, bytes as hex), else null. */
  decoded: unknown;
  /** @internal the same, for the table view */
  shown?: string;
}

/** A command line we cannot run: its message goes to stderr with the usage, status 2. */
class UsageError extends Error {}

interface ProbeArgs { host: string; family: string; type: string; state: string; json: boolean; help: boolean }

/** The hosts `caps` and `probe` know, by name. */
const HOSTS = ['linux', 'emulated', 'emulated-windows', 'wasi-p1'] as const;
type HostName = typeof HOSTS[number];

/** A host's capability set, from its own declaration (nothing is loaded or tried). */
function hostCaps(name: HostName): ReadonlySet<string> {
  if (name === 'linux') return new w.LinuxHost().capabilities;
  if (name === 'wasi-p1') return new Set(WASI_P1_CAPS);
  return new Set(name === 'emulated' ? EMULATED_CAPS : [...EMULATED_CAPS, 'ioctl.windows']);
}

/** What an option row is on a host: the Linux host hands every option to the kernel. */
function optionStatus(host: HostName, row: OptionRow, shared: boolean): string {
  if (host === 'linux') return 'applied';
  if (host === 'wasi-p1') return 'absent';     // preview 1 has no socket options at all
  return EMULATED_OPTIONS[shared ? `${row.levelName}/${row.name}` : row.name] ?? 'absent';
}

function parseArgs(argv: string[]): ProbeArgs {
  const o = { host: 'linux', family: 'inet', type: 'stream', state: 'fresh', json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    // --name=value is --name value, as for any getopt_long program.
    const eq = argv[i].startsWith('--') ? argv[i].indexOf('=') : -1;
    const a = eq < 0 ? argv[i] : argv[i].slice(0, eq);
    const inline = eq < 0 ? undefined : argv[i].slice(eq + 1);
    const val = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const flag = () => {
      if (inline !== undefined) throw new UsageError(`${a} takes no value`);
      return true;
    };
    if (a === '--json') o.json = flag();
    else if (a === '--host') o.host = val();
    else if (a === '--family') o.family = val();
    else if (a === '--type') o.type = val();
    else if (a === '--state') o.state = val();
    else if (a === '-h' || a === '--help') o.help = flag();
    else throw new UsageError(`unknown argument ${argv[i]}`);
  }
  if (!['linux', 'emulated'].includes(o.host)) throw new UsageError(`unknown host ${o.host} (probe: linux or emulated)`);
  if (!['inet', 'inet6', 'unix'].includes(o.family)) throw new UsageError(`unknown family ${o.family}`);
  if (!['stream', 'dgram'].includes(o.type)) throw new UsageError(`unknown type ${o.type}`);
  if (!['fresh', 'listening', 'connected'].includes(o.state)) throw new UsageError(`unknown state ${o.state}`);
  if (o.state === 'listening' && o.type !== 'stream') throw new UsageError('only stream sockets listen');
  return o;
}

/** The version in wasock's package.json (found upwards from this file: dist/src/ or src/). */
function version(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'wasock' && pkg.version) return pkg.version;
    } catch { /* no package.json here: look further up */ }
    if (dirname(dir) === dir) throw new Error("wasock's package.json not found");
  }
}

/** Opens the socket to probe; `others` collects every helper socket to close afterwards. */
function open(w: Api, family: string, type: string, state: string, others: w.socket[], tmp: () => string): w.socket {
  const fam = family === 'inet' ? w.AF_INET : family === 'inet6' ? w.AF_INET6 : w.AF_UNIX;
  const typ = type === 'stream' ? w.SOCK_STREAM : w.SOCK_DGRAM;
  const addr = (n: number): w.Address => (fam === w.AF_UNIX ? `${tmp()}/probe${n}.sock` : fam === w.AF_INET ? ['127.0.0.1', 0] : ['::1', 0, 0, 0]);
  if (state === 'connected' && fam === w.AF_UNIX) {
    const [a, b] = w.socketpair(w.AF_UNIX, typ);
    others.push(b);
    return a;
  }
  const s = new w.socket(fam, typ);
  if (state === 'fresh') return s;
  if (state === 'listening') { s.bind(addr(0)); s.listen(); return s; }
  const peer = new w.socket(fam, typ);
  others.push(peer);
  peer.bind(addr(1));
  if (typ === w.SOCK_STREAM) peer.listen();
  s.connect(peer.getsockname());
  if (typ === w.SOCK_STREAM) others.push(peer.accept()[0]);
  return s;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function probeRow(s: w.socket, row: OptionRow): Probe {
  const p: Probe = { level: row.levelName, name: row.name, kind: row.kind, format: row.format, int: null, bytes: null, error: null, errno: null, decoded: null };
  const record = (e: unknown) => {
    p.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    p.errno = e instanceof w.OSError ? e.errno : null;
  };
  try {
    if (row.kind === 'int' || row.kind === 'bool') p.int = s.getsockopt(row.level, row.value) as number;
    else {
      const b = s.getsockopt(row.level, row.value, Math.min(Math.max(row.size, 1), 1024)) as Uint8Array;
      p.bytes = hex(b);
      const d: Decoder | undefined = row.decoder ? (DECODERS as Record<string, Decoder>)[row.decoder] : undefined;
      if (row.kind === 'string') {
        // NUL-padded names (TCP_CONGESTION, SO_BINDTODEVICE): the text, as getsockoptDecoded() gives it.
        const z = b.indexOf(0);
        p.decoded = new TextDecoder().decode(z < 0 ? b : b.subarray(0, z));
        p.shown = formatDecoded(p.decoded);
      } else if (d) {
        // A value the decoder cannot read (e.g. a buffer shorter than its layout) stays bytes only.
        try {
          const v = d.decode(b);
          p.decoded = jsonDecoded(v);
          p.shown = formatDecoded(v);
        } catch { /* keep the hex */ }
      }
    }
  } catch (e) {
    record(e);
  }
  return p;
}

function table(rows: Probe[], title: string): string {
  const lines = [title, ''];
  const w1 = Math.max(...rows.map((r) => r.level.length)), w2 = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    let v: string;
    if (r.error) v = r.error;
    else if (r.int !== null) v = String(r.int);
    else {
      const b = r.bytes!;
      const shown = b.length > 64 ? `${b.slice(0, 64)}… (${b.length / 2} bytes)` : b.length ? b : "b''";
      // A short decoded value replaces the hex; a long one follows it.
      if (r.shown !== undefined && r.shown.length <= 72) v = r.shown;
      else v = `${shown}${r.format ? `  [${r.format}]` : ''}${r.shown !== undefined ? `  ${r.shown}` : ''}`;
    }
    lines.push(`${r.level.padEnd(w1)}  ${r.name.padEnd(w2)}  ${v}`);
  }
  return lines.join('\n');
}

let writeFailed = false;

/**
 * Writes to stdout. A failed write (EPIPE, ENOSPC on /dev/full, EIO) arrives later, as an
 * 'error' event or the write's callback; console.log would swallow it and the command would
 * exit 0 with its output lost, so the error is reported and the status is 1.
 */
function say(text: string): void {
  process.stdout.write(`${text}\n`, (e) => { if (e) writeError(e); });
}

function writeError(e: Error): void {
  if (writeFailed) return;
  writeFailed = true;
  process.exitCode = 1;
  // Pipes say 'write EPIPE', files 'ENOSPC: no space left on device, write': lead with the code.
  const code = (e as NodeJS.ErrnoException).code;
  console.error(`wasock: cannot write the output: ${code && !e.message.startsWith(code) ? `${code}: ` : ''}${e.message}`);
}
process.stdout.on('error', writeError);

/**
 * `wasock caps`: capability sets, answered from each host's declaration and the generated
 * contract's list of what each capability gates: no socket is made and no FFI loads. One
 * host (--host, the old single-host shape), or the matrix of every host.
 */
function caps(argv: string[]): number {
  let without: string[] = [], json = false, options = false;
  let only: HostName | null = null;
  for (let i = 0; i < argv.length; i++) {
    const eq = argv[i].startsWith('--') ? argv[i].indexOf('=') : -1;
    const a = eq < 0 ? argv[i] : argv[i].slice(0, eq);
    const val = () => {
      const v = eq < 0 ? argv[++i] : argv[i].slice(eq + 1);
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--json' && eq < 0) json = true;
    else if (a === '--options' && eq < 0) options = true;
    else if (a === '--without') without = val().split(',').filter((x) => x !== '');
    else if (a === '--host') {
      const h = val();
      if (!(HOSTS as readonly string[]).includes(h)) throw new UsageError(`unknown host ${h} (hosts: ${HOSTS.join(', ')})`);
      only = h as HostName;
    } else if ((a === '-h' || a === '--help') && eq < 0) { say(USAGE); return 0; }
    else throw new UsageError(`unknown argument ${argv[i]}`);
  }
  for (const c of without) if (!(CAPABILITIES as readonly string[]).includes(c)) throw new UsageError(`unknown capability ${c}`);
  const hosts = only === null ? [...HOSTS] : [only];
  const label = (h: string) => (without.length ? `${h} without ${without.join(', ')}` : h);
  const has = new Map(hosts.map((h) => [h, new Set([...hostCaps(h)].filter((c) => !without.includes(c)))]));
  const rows = optionTable();
  const shared = new Set(rows.filter((r) => rows.some((q) => q !== r && q.name === r.name)).map((r) => r.name));
  const optionRows = () => rows.map((r) => ({
    option: r.name, level: r.levelName,
    status: Object.fromEntries(hosts.map((h) => [h, optionStatus(h, r, shared.has(r.name))])),
  }));
  if (only !== null) {
    const set = has.get(only)!;
    const capRows = CAPABILITIES.map((c) => ({ capability: c, available: set.has(c), gates: CAPABILITY_GATES[c] }));
    if (json) {
      say(JSON.stringify({ host: label(only), capabilities: capRows, ...(options ? { options: optionRows().map((o) => ({ ...o, status: o.status[only] })) } : {}) }, null, 2));
      return 0;
    }
    const width = Math.max(...CAPABILITIES.map((c) => c.length));
    say([`wasock caps: host ${label(only)}, ${set.size} of ${CAPABILITIES.length} capabilities`, '',
      ...capRows.map((r) => `${r.capability.padEnd(width)}  ${r.available ? 'yes' : 'no '}  ${r.gates.join(', ')}`),
      ...(options ? ['', ...optionRows().map((o) => `${`${o.level}.${o.option}`.padEnd(40)}  ${o.status[only]}`)] : [])].join('\n'));
    return 0;
  }
  const matrix = CAPABILITIES.map((c) => ({ capability: c, gates: CAPABILITY_GATES[c], available: Object.fromEntries(hosts.map((h) => [h, has.get(h)!.has(c)])) }));
  if (json) {
    say(JSON.stringify({ hosts: hosts.map(label), capabilities: matrix, ...(options ? { options: optionRows() } : {}) }, null, 2));
    return 0;
  }
  const width = Math.max(...CAPABILITIES.map((c) => c.length));
  const cols = hosts.map((h) => Math.max(h.length, 8));
  const head = `${'capability'.padEnd(width)}  ${hosts.map((h, i) => h.padEnd(cols[i])).join('  ')}  gates`;
  const lines = [`wasock caps: ${hosts.length} hosts`, '', head,
    ...matrix.map((m) => `${m.capability.padEnd(width)}  ${hosts.map((h, i) => (m.available[h] ? 'yes' : 'no').padEnd(cols[i])).join('  ')}  ${m.gates.join(', ')}`)];
  if (options) {
    const ow = 44;
    lines.push('', `${'option'.padEnd(ow)}  ${hosts.map((h, i) => h.padEnd(cols[i])).join('  ')}`);
    for (const o of optionRows()) lines.push(`${`${o.level}.${o.option}`.padEnd(ow)}  ${hosts.map((h, i) => o.status[h].padEnd(cols[i])).join('  ')}`);
  }
  say(lines.join('\n'));
  return 0;
}

function main(argv: string[]): number {
  const cmd = argv[0];
  if (cmd === undefined || cmd === '-h' || cmd === '--help') { say(USAGE); return 0; }
  if (cmd === '--version' || cmd === '-V') { say(version()); return 0; }
  if (cmd === 'caps') {
    try {
      return caps(argv.slice(1));
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      console.error(`wasock: ${e.message}\n${USAGE}`);
      return 2;
    }
  }
  if (cmd !== 'probe') {
    console.error(`wasock: unknown ${cmd.startsWith('-') ? 'option' : 'command'} '${cmd}'\nRun 'wasock --help' for usage.`);
    return 2;
  }
  let o: ProbeArgs;
  try {
    o = parseArgs(argv.slice(1));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`wasock: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (o.help) { say(USAGE); return 0; }
  // Only a unix socket that binds a path needs a directory: made on first use, so that a
  // probe of an inet socket works without a usable TMPDIR.
  let tmp: string | null = null;
  const tmpDir = () => (tmp ??= mkdtempSync(`${tmpdir()}/wasock-probe-`));
  const others: w.socket[] = [];
  let s: w.socket | null = null;
  try {
    // The emulated network has its own names for unix paths: no directory is made for it.
    const api: Api = o.host === 'emulated' ? emulatedNetwork({ seed: 0 }) : w;
    s = open(api, o.family, o.type, o.state, others, o.host === 'emulated' ? () => '/wasock-probe' : tmpDir);
    // Every readable row, also those meant for other socket kinds: the kernel's answer
    // (often EOPNOTSUPP or ENOPROTOOPT) is part of what the probe reports.
    const rows = optionTable().filter((r) => r.get);
    const probes = rows.map((r) => probeRow(s!, r));
    if (o.json) {
      const options = probes.map(({ shown, ...p }) => p);
      say(JSON.stringify({ host: o.host, socket: { family: o.family, type: o.type, state: o.state, fd: s.fileno() }, kernel: o.host === 'linux' ? release() : 'emulated', options }, null, 2));
    } else {
      const where = o.host === 'linux' ? `Linux ${release()}` : 'the emulated network';
      say(table(probes, `wasock probe: ${o.family} ${o.type} ${o.state} socket (fd ${s.fileno()}), ${where}, ${probes.length} options`));
    }
    return 0;
  } finally {
    s?.close();
    for (const x of others) x.close();
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  const status = main(process.argv.slice(2));
  // A write error reported already (synchronously) keeps its status 1.
  if (!writeFailed) process.exitCode = status;
} catch (e) {
  console.error(`wasock: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  process.exitCode = 1;
}
