// The WASI preview 1 host: the core built as a p1 reactor (wasm/host.ts, asconfig target
// "wasi-p1") running in @wasmer/wasi, with the p1 socket functions wasmer lacks supplied by
// wasock itself (p1-sockets.ts) over sockets of another wasock host. The capability set is
// what preview 1 offers a pre-opened socket; what CPython's documentation marks
// "Availability: not WASI" is absent, so the core raises NotAvailableError naming it.
//
// @wasmer/wasi loads its own Wasm asynchronously (init()): this module waits for it at its
// top level, so importing wasock/wasi-p1 is what takes the time, and network() stays
// synchronous like every other host's. It is an optional peer dependency (docs/decisions.md):
// only this entry needs it, so a missing one is said here, by name.
import type { WASI as WasiClass } from '@wasmer/wasi';
import type { Capability, CompiledHost, HostImports } from '../types.js';
import { CAPABILITIES, capBits } from '../types.js';
import { P1Sockets, type P1Imports } from './p1-sockets.js';
import { OSError } from '../../src/exceptions.js';
import { WASI_P1_CAPS } from './caps.js';

export { WASI_P1_CAPS };

let wasmer: typeof import('@wasmer/wasi');
try {
  wasmer = await import('@wasmer/wasi');
} catch (e) {
  throw new Error(`wasock/wasi-p1 needs @wasmer/wasi, an optional peer dependency that is not installed (npm install @wasmer/wasi@^1.2.2): ${(e as Error).message}`);
}
const { WASI } = wasmer;
await wasmer.init();

export interface WasiP1HostOptions {
  /** Sockets of another wasock host (Linux, emulated) that become guest fds 3, 4, …; the host owns them from then on. */
  preopened?: Iterable<import('../../src/socket.js').socket>;
  /** A narrower capability set (a subset of WASI_P1_CAPS). */
  capabilities?: Iterable<Capability>;
  /** The name in NotAvailableError messages (default "wasi-p1", read as "WASI preview 1"). */
  name?: string;
}

/** An instance of `module` in @wasmer/wasi, its p1 socket functions those of `sockets`. */
export function instantiateP1(module: WebAssembly.Module, sockets: P1Sockets, extra: WebAssembly.Imports = {}, wasi: WasiClass = new WASI({ args: [], env: {} })): { instance: WebAssembly.Instance; wasi: WasiClass } {
  // Passing our functions to wasi.instantiate() only fills imports wasmer lacks (its own
  // sock_recv would win with EBADF): the import object is built from getImports() with ours
  // laid over it, and wasmer is handed the finished instance.
  const imports = wasi.getImports(module) as Record<string, Record<string, unknown>>;
  let memory: WebAssembly.Memory | null = null;
  const p1 = sockets.imports(imports.wasi_snapshot_preview1 as P1Imports, () => memory!);
  const instance = new WebAssembly.Instance(module, { ...extra, ...imports, wasi_snapshot_preview1: p1 as WebAssembly.ModuleImports });
  memory = instance.exports.memory as WebAssembly.Memory;
  wasi.instantiate(instance);
  return { instance, wasi };
}

export class WasiP1Host implements CompiledHost {
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** The guest's socket fds. */
  readonly sockets: P1Sockets;

  constructor(private readonly module: () => WebAssembly.Module, options: WasiP1HostOptions = {}) {
    this.name = options.name ?? 'wasi-p1';
    this.capabilities = new Set(options.capabilities ?? WASI_P1_CAPS);
    for (const c of this.capabilities) {
      if (!WASI_P1_CAPS.includes(c)) throw new TypeError(`wasock: WASI preview 1 has no '${c}' (it offers ${WASI_P1_CAPS.join(', ')})`);
    }
    this.sockets = new P1Sockets(options.preopened ?? []);
  }

  /**
   * The Python rule behind a missing capability: preview 1 has no call for it, and CPython's
   * documentation marks the methods needing it "Availability: not WASI".
   */
  unavailableNote(cap: Capability): string | null {
    if (!(CAPABILITIES as readonly string[]).includes(cap) || cap === 'js_buffers') return null;
    return WASI_P1_CAPS.includes(cap) ? null : `WASI preview 1 has no call for it (Python: Availability: not WASI)`;
  }

  /**
   * EDEADLK from an emulated network behind the p1 functions: its reason (which call could
   * only wait forever, and why), which the WASI errno could not carry, named for `fn`.
   */
  explain(errno: number, fn: string): Error | null {
    const last = this.sockets.lastError;
    if (errno !== 35 || last === null || last.errno !== 35) return null;
    const why = /would wait forever: (.*)$/.exec(last.strerror ?? '');
    if (why === null) return null;
    return new OSError(35, `Resource deadlock avoided: ${fn}() would wait forever: ${why[1]}`);
  }

  imports(): HostImports { throw new TypeError('wasock: the WASI preview 1 host is compiled into its core'); }

  coreModule(): WebAssembly.Module { return this.module(); }

  instantiate(imports: WebAssembly.Imports): WebAssembly.Instance {
    const { instance } = instantiateP1(this.coreModule(), this.sockets, imports);
    // A reactor: its start function runs once, before any export (AssemblyScript guards it).
    (instance.exports._initialize as () => void)();
    return instance;
  }

  setup(x: Record<string, unknown>): void {
    (x.p1_set_caps as (bits: number) => void)(capBits(this.capabilities));
  }
}
