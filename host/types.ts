// What every host gives the core: a name, a capability set, and the import object that
// implements the host ABI (assembly/bindings/host.ts). Hosts never decide anything the
// core decides; they perform operating-system calls and report -errno.

// Capability names, in the core's bit order: declared in scripts/contract.py, generated for
// both the core (assembly/generated/contract.ts) and here.
import { CAPABILITIES, type Capability } from '../src/generated/contract.js';
export { CAPABILITIES, type Capability };

export function capBits(caps: Iterable<Capability>): number {
  let bits = 0;
  for (const c of caps) {
    const i = CAPABILITIES.indexOf(c);
    if (i < 0) throw new Error(`unknown capability ${c}`);
    bits |= 1 << i;
  }
  return bits;
}

export interface Host {
  /** Shown in NotAvailableError messages: "getsockopt is not available on <name>". */
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** The ABI imports, bound to the core's memory (which the host may hand to the kernel). */
  imports(memory: WebAssembly.Memory): Record<string, (...args: any[]) => any>;
  /** Stages a JavaScript buffer for the next call that passes the pointer -1. */
  stage(buf: Uint8Array): void;
  /**
   * The kernel fd behind a socket Node created (net.Socket, net.Server, dgram.Socket), or
   * null when `x` is none of them. Only a host whose fds are the process's own kernel fds
   * has it (fromNode, toNodeServer and toNodeSocket need it).
   */
  nodeFd?(x: unknown): NodeFd | null;
}

export type NodeKind = 'net.Socket' | 'net.Server' | 'dgram.Socket';

/**
 * fd >= 0: the object's fd (still Node's). fd -1: it has none in its current `state`
 * ('connecting', 'unconnected', 'destroyed', 'not listening', 'unbound', 'binding',
 * 'closed'). fd -2: the running Node exposes no fd for its handle; `state` names the
 * handle's class.
 */
export interface NodeFd { kind: NodeKind; fd: number; state: string }
