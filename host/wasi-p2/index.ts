// The WASI preview 2 host's JavaScript side. The host itself is AssemblyScript compiled into
// the core (wasm/host.ts over wasi:sockets, wasi:io and wasi:clocks 0.2.3), and the core is a
// component whose only imports are wasi:* (scripts/build-wasi-p2.mjs). On Node that component
// runs through jco 1.11.3's bindings (bindings.generated.ts, `--instantiation sync`), with a
// wasi:* provider given here: @bytecodealliance/preview2-shim by default. This class
// instantiates it, keeps the core module's own instance (src/ calls the core's exports as it
// does on every host: the component's canonical-ABI lifting is only for the wasi:* imports),
// and turns a trap into the core's abort, as the other cores' aborts.
import type { Capability, CompiledHost, HostImports } from '../types.js';
import { capBits } from '../types.js';
import { SystemError } from '../../src/exceptions.js';
import { instantiate, CORE_MODULES_BASE64 } from './bindings.generated.js';
import { WASI_P2_OPTIONS, WASI_P2_PROFILE, wasiP2OptionStatus, type WasiP2OptionStatus, type ProfileDefect } from './options.js';

export { WASI_P2_OPTIONS, WASI_P2_PROFILE, type WasiP2OptionStatus, type ProfileDefect };

/**
 * What wasi:sockets 0.2 offers: sockets of both IP families, two-phase bind/connect/listen,
 * streams, pollables, the p2 option methods. Not: AF_UNIX, socketpair, dup, fcntl, ioctl
 * (p2 has none of them: NotAvailableError), js_buffers (the component cannot see JavaScript
 * buffers). name_lookup is wasi:sockets/ip-name-lookup (host/wasi-p2/wasm/names.ts).
 */
export const WASI_P2_CAPS: readonly Capability[] = [
  'socket.create', 'bind', 'connect', 'listen', 'accept', 'sendrecv', 'shutdown', 'getsockopt',
  'setsockopt', 'nonblocking', 'poll', 'af_inet6', 'sockname', 'name_lookup',
];

/** The wasi:* interfaces the component imports, by their unversioned names, as jco's bindings take them. */
export type WasiImports = Record<string, Record<string, unknown>>;

/** The interfaces of an object shaped as preview2-shim's top-level exports ({ sockets, io, clocks }). */
export function wasiImportsOf(p: { sockets: Record<string, unknown>; io: Record<string, unknown>; clocks: Record<string, unknown> }): WasiImports {
  const s = p.sockets as Record<string, Record<string, unknown>>;
  const io = p.io as Record<string, Record<string, unknown>>;
  const clocks = p.clocks as Record<string, Record<string, unknown>>;
  return {
    'wasi:sockets/network': s.network, 'wasi:sockets/instance-network': s.instanceNetwork,
    'wasi:sockets/tcp': s.tcp, 'wasi:sockets/tcp-create-socket': s.tcpCreateSocket,
    'wasi:sockets/udp': s.udp, 'wasi:sockets/udp-create-socket': s.udpCreateSocket,
    'wasi:sockets/ip-name-lookup': s.ipNameLookup,
    'wasi:io/poll': io.poll, 'wasi:io/streams': io.streams, 'wasi:io/error': io.error,
    'wasi:clocks/monotonic-clock': clocks.monotonicClock,
  };
}

export interface WasiP2HostOptions {
  /** The name in NotAvailableError messages (default "wasi-p2"). */
  name?: string;
  /** The capability set (default WASI_P2_CAPS; it can only shrink). */
  capabilities?: Iterable<Capability>;
}

const MAIN = 'wasock-wasi-p2.core.wasm';

/** WASI_P2_PROFILE defects the host in the core works around: their bits for P2_set_defects (host/wasi-p2/wasm/host.ts). */
const DEFECT_BITS: Readonly<Record<string, number>> = { 'shutdown-destroys': 1, 'flush-waits': 2, 'call-per-read': 4 };
let modules: Map<string, WebAssembly.Module> | null = null;
function coreModules(): Map<string, WebAssembly.Module> {
  if (modules === null) {
    modules = new Map();
    for (const [name, b64] of Object.entries(CORE_MODULES_BASE64 as Record<string, string>)) {
      modules.set(name, new WebAssembly.Module(Buffer.from(b64, 'base64')));
    }
  }
  return modules;
}

/** The core's exports that this side reads (assembly/wasi-p2.ts). */
interface P2Exports {
  p2_set_caps(bits: number): void;
  p2_set_defects(bits: number): void;
  p2_abort_info(i: number): number;
  p2_open_fds(): number;
  p2_nonblocking(fd: number): number;
}

export class WasiP2Host implements CompiledHost {
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** How each socket option is backed here (applied / stored / derived / absent). */
  readonly options = WASI_P2_OPTIONS;
  /** The runtime's known defects (preview2-shim's, when it is the provider). */
  readonly profile: readonly ProfileDefect[];

  constructor(private readonly wasi: WasiImports, options: WasiP2HostOptions = {}, profile: readonly ProfileDefect[] = WASI_P2_PROFILE) {
    this.name = options.name ?? 'wasi-p2';
    const caps = [...(options.capabilities ?? WASI_P2_CAPS)];
    for (const c of caps) {
      if (!WASI_P2_CAPS.includes(c)) throw new TypeError(`wasock: wasi-p2 cannot offer '${c}' (wasi:sockets 0.2 has no such operation)`);
    }
    this.capabilities = new Set(caps);
    this.profile = profile;
  }

  /**
   * Why getsockopt/setsockopt of option `name` on this kind of socket may answer otherwise
   * than Linux here, or null: it is absent (no p2 method), p2's rule differs, or a defect of
   * the runtime (this.profile) stands behind its value. The fixture replays skip a case that
   * differs only when this names a reason (test/helpers/hosts.ts replayOptionIt).
   */
  optionDivergence(name: string, type: 'tcp' | 'udp', family: 'inet' | 'inet6'): string | null {
    const status = wasiP2OptionStatus(name, type);
    if (status === 'absent') return `${name} is absent on wasi-p2: wasi:sockets 0.2 has no method for it (ENOPROTOOPT, as wasi-libc answers; WASI_P2_OPTIONS)`;
    if (name === 'IP_TTL' && family === 'inet6') return 'IP_TTL on an IPv6 socket: p2 has one hop limit per socket, IPV6_UNICAST_HOPS there (absent, as in wasi-libc)';
    if (name === 'IPV6_V6ONLY') return 'wasi:sockets sockets are IPv6-only: IPV6_V6ONLY reads 1 and 0 cannot be set (WASI_P2_OPTIONS)';
    const defects = this.profile.filter((p) => p.options.includes(name) && p.types.includes(type));
    const said = defects.length ? `${this.runtime} ${defects.map((d) => `'${d.id}' (${d.seen})`).join('; ')} (WASI_P2_PROFILE)` : '';
    if (name === 'IPV6_UNICAST_HOPS') return `IPV6_UNICAST_HOPS 0 is p2's invalid-argument (Linux takes it)${said ? `; ${said}` : ''}`;
    return said ? `${name}: ${said}` : null;
  }

  private get runtime(): string { return this.profile[0]?.runtime ?? 'the runtime'; }

  imports(): HostImports { throw new TypeError('wasock: the wasi-p2 host is compiled into its core'); }

  coreModule(): WebAssembly.Module { return coreModules().get(MAIN)!; }

  instantiate(imports: WebAssembly.Imports): WebAssembly.Instance {
    const mods = coreModules();
    const main = mods.get(MAIN)!;
    let core: WebAssembly.Instance | null = null;
    instantiate((name: string) => mods.get(name)!, this.wasi, (m: WebAssembly.Module, imp: WebAssembly.Imports) => {
      const inst = new WebAssembly.Instance(m, imp);
      if (m === main) core = inst;
      return inst;
    });
    if (core === null) throw new SystemError('wasock: jco did not instantiate the wasi-p2 core module');
    const abort = (imports.host as { abort(m: number, f: number, l: number, c: number): never }).abort;
    return { exports: guarded((core as WebAssembly.Instance).exports, abort) } as unknown as WebAssembly.Instance;
  }

  setup(x: Record<string, unknown>): void {
    (x as unknown as P2Exports).p2_set_caps(capBits(this.capabilities));
    // The defects the core's host works around (else a call would hang): reads end at what is
    // buffered after a shutdown that ended both directions; sends skip a flush that waits.
    let bits = 0;
    for (const p of this.profile) bits |= DEFECT_BITS[p.id] ?? 0;
    (x as unknown as P2Exports).p2_set_defects(bits);
  }
}

/**
 * The core's exports, each turning a trap into the core's abort: p2Abort (assembly/wasi-p2.ts)
 * left its arguments and trapped, and src/core.ts's abort gives the core up (SystemError, its
 * sockets closed, a successor core). Any other failure inside a call (a trap elsewhere, a
 * provider that threw something the canonical ABI does not carry) is the same internal error.
 */
function guarded(x: WebAssembly.Exports, abort: (m: number, f: number, l: number, c: number) => never): WebAssembly.Exports {
  const info = (x as unknown as P2Exports).p2_abort_info;
  const fail = (e: unknown): never => {
    if (e instanceof SystemError) throw e;
    if (e instanceof WebAssembly.RuntimeError && info(0) !== 0) return abort(info(0), info(1), info(2), info(3));
    return abort(0, 0, 0, 0);
  };
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(x)) {
    if (typeof v !== 'function') { out[name] = v; continue; }
    const f = v as (...a: number[]) => unknown;
    out[name] = f.length <= 8
      ? function (a: number, b: number, c: number, d: number, e: number, g: number, h: number, i: number) {
        try { return f(a, b, c, d, e, g, h, i); } catch (err) { return fail(err); }
      }
      : function (...a: number[]) { try { return f(...a); } catch (err) { return fail(err); } };
  }
  return out as WebAssembly.Exports;
}
