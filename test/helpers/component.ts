// The component (build/wasock.component.wasm) as an embedder runs it on Node: transpiled by
// jco 1.11.3 with `--instantiation sync` (jco 1.35's bindings read process.env on every call:
// docs/embedding.md), written to a temporary folder and imported; `instantiate(host)` then
// supplies `wasock:core/host` at run time.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { transpile } from 'jco-1-11';
import type { ComponentHostImports } from '../../host/component/index.js';

export const COMPONENT_PATH = fileURLToPath(new URL('../../build/wasock.component.wasm', import.meta.url));

export type Address =
  | { tag: 'none' }
  | { tag: 'inet'; val: { host: string; port: number } }
  | { tag: 'inet6'; val: { host: string; port: number; flowinfo: number; scopeId: number } }
  | { tag: 'unix'; val: string }
  | { tag: 'unix-abstract'; val: Uint8Array }
  | { tag: 'other'; val: [number, Uint8Array] };

/** `wasock:core/sockets` as jco's bindings export it: a result's error is thrown (ComponentError, `.payload`). */
export interface Sockets {
  socket(family: number, type: number, proto: number): number;
  adopt(fd: number, family: number, type: number, proto: number): number;
  socketpair(family: number, type: number, proto: number): [number, number];
  dup(s: number): number;
  detach(s: number): number;
  close(s: number): void;
  fileno(s: number): number;
  bind(s: number, address: Address): void;
  connect(s: number, address: Address): void;
  connectEx(s: number, address: Address): number;
  listen(s: number, backlog?: number): void;
  accept(s: number): { socket: number; address: Address };
  getsockopt(s: number, level: number, optname: number): number;
  getsockoptBytes(s: number, level: number, optname: number, buflen: number): Uint8Array;
  setsockopt(s: number, level: number, optname: number, value: number): void;
  setsockoptBytes(s: number, level: number, optname: number, value: Uint8Array): void;
  settimeout(s: number, timeout?: number): void;
  gettimeout(s: number): number | undefined;
  setblocking(s: number, flag: boolean): void;
  getblocking(s: number): boolean;
  recv(s: number, bufsize: bigint, flags: number): Uint8Array;
  recvfrom(s: number, bufsize: bigint, flags: number): { data: Uint8Array; address: Address };
  send(s: number, data: Uint8Array, flags: number): number;
  sendall(s: number, data: Uint8Array, flags: number): void;
  sendto(s: number, data: Uint8Array, flags: number, address: Address): number;
  shutdown(s: number, how: number): void;
  getsockname(s: number): Address;
  getpeername(s: number): Address;
  setdefaulttimeout(timeout?: number): void;
  getdefaulttimeout(): number | undefined;
  hasCapability(name: string): boolean;
}

/** The `error` record (wit/core.wit). */
export interface CoreError { code: number; errno: number; exception: string; message: string }

type Instantiate = (getCoreModule: (path: string) => WebAssembly.Module, imports: Record<string, unknown>) => Record<string, unknown>;

interface Loaded { instantiate: Instantiate; modules: Map<string, WebAssembly.Module> }
let loaded: Loaded | null = null;

type Transpile = (bytes: Uint8Array, opts: { name: string; instantiation: 'sync' }) => Promise<{ files: Record<string, Uint8Array> }>;

/**
 * Transpiles the component (jco 1.11.3 unless another jco's transpile is given; sync
 * instantiation) and makes it the one instantiate() uses.
 */
export async function loadComponent(bytes: Uint8Array = readFileSync(COMPONENT_PATH), jco: Transpile = transpile): Promise<void> {
  const { files } = await jco(bytes, { name: 'wasock', instantiation: 'sync' });
  const dir = mkdtempSync(join(tmpdir(), 'wasock-component-'));
  const modules = new Map<string, WebAssembly.Module>();
  for (const [name, data] of Object.entries(files as Record<string, Uint8Array>)) {
    if (name.endsWith('.d.ts')) continue;
    if (name.endsWith('.wasm')) { modules.set(name, new WebAssembly.Module(data as Uint8Array<ArrayBuffer>)); continue; }
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  const js = await import(pathToFileURL(join(dir, 'wasock.js')).href);
  loaded = { instantiate: js.instantiate as Instantiate, modules };
}

/** A component instance whose host is `host` (host/component/index.ts). */
export function instantiate(host: ComponentHostImports): Sockets {
  if (loaded === null) throw new Error('loadComponent() first');
  const { modules } = loaded;
  const x = loaded.instantiate((p) => modules.get(p)!, { 'wasock:core/host': host });
  return x.sockets as Sockets;
}

/** `wasock:core/policy` as jco's bindings export it (flags as objects of booleans). */
export interface Policy {
  install(
    protocols: { tcp?: boolean; udp?: boolean; unix?: boolean },
    rules: { uses: Partial<Record<'bind' | 'listen' | 'accept' | 'connect' | 'send' | 'receive', boolean>>; address: string; ports: [number, number] | undefined }[],
    options: { level: number; optname: number; bounds: [number, number] | undefined }[],
  ): void;
}

/** A component instance and its policy interface. */
export function instantiateWithPolicy(host: ComponentHostImports): { sockets: Sockets; policy: Policy } {
  if (loaded === null) throw new Error('loadComponent() first');
  const { modules } = loaded;
  const x = loaded.instantiate((p) => modules.get(p)!, { 'wasock:core/host': host });
  return { sockets: x.sockets as Sockets, policy: x.policy as Policy };
}

/** The error a call threw (jco's ComponentError carries the record as `payload`). */
export function failure(f: () => unknown): CoreError {
  try { f(); } catch (e) {
    const p = (e as { payload?: CoreError }).payload;
    if (p === undefined) throw e;
    return p;
  }
  throw new Error('expected the call to fail');
}
