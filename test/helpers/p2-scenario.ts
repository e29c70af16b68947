// scripts/wasi_p2_scenario.py's steps, run here through the wasi-p2 component's typed exports
// (`wasock:core/sockets`) as jco's bindings give them, normalised as the script normalises
// CPython's and wasmtime's results, so the three compare as JSON.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Address, CoreError, Policy, Sockets } from './component.js';

export const SCENARIO = fileURLToPath(new URL('../../scripts/wasi_p2_scenario.py', import.meta.url));

type Arg = number | string | (string | number)[] | { ref: string };
type Step = [id: string, call: string, target: string | null, args: Arg[], keep: string | null];
export type Outcome =
  | { ok: unknown }
  | { raises: { type: string; errno: number | null; message: string } }
  | { skipped: string };

/** The script's JSON output for `mode` (steps, cpython, wasmtime), run by `python`. */
export function scenario<T>(mode: string, python = 'python3', extra: string[] = []): T {
  return JSON.parse(execFileSync(python, [SCENARIO, mode, ...extra], { encoding: 'utf8', timeout: 60_000 })) as T;
}

const inet = (host: string, port: number): Address => ({ tag: 'inet', val: { host, port } });
const portless = (a: Address): unknown => (a.tag === 'inet' ? [a.val.host, a.val.port > 0 ? '<port>' : a.val.port] : a.tag);
const text = (b: Uint8Array): { bytes: string } => ({ bytes: Buffer.from(b).toString('latin1') });

/** Runs the steps through `x`, as the script's run() does. */
export function runSteps(x: Sockets, steps: Step[], open: string[]): Record<string, Outcome> {
  const env = new Map<string, unknown>();
  const out: Record<string, Outcome> = {};
  const addr = (a: Arg): Address => (Array.isArray(a) ? inet(String(a[0]), Number(a[1])) : (a as unknown as Address));
  for (const [id, call, target, rawArgs, keep] of steps) {
    if (target !== null && !env.has(target)) { out[id] = { skipped: `no socket ${target}` }; continue; }
    const s = target === null ? 0 : (env.get(target) as number);
    const args = rawArgs.map((a) => (typeof a === 'object' && !Array.isArray(a) ? env.get(a.ref) : a)) as Arg[];
    try {
      let r: unknown;
      switch (call) {
        case 'socket': r = x.socket(Number(args[0]), Number(args[1]), Number(args[2])); break;
        case 'bind': r = x.bind(s, addr(args[0])); break;
        case 'connect': r = x.connect(s, addr(args[0])); break;
        case 'listen': r = x.listen(s, undefined); break;
        case 'getsockopt': r = x.getsockopt(s, Number(args[0]), Number(args[1])); break;
        case 'setsockopt': r = x.setsockopt(s, Number(args[0]), Number(args[1]), Number(args[2])); break;
        case 'settimeout': r = x.settimeout(s, Number(args[0])); break;
        case 'gettimeout': r = x.gettimeout(s) ?? null; break;
        case 'sendall': r = x.sendall(s, Buffer.from(String(args[0])), 0); break;
        case 'sendto': r = x.sendto(s, Buffer.from(String(args[0])), 0, addr(args[1])); break;
        case 'close': r = x.close(s); break;
        case 'fileno': r = x.fileno(s); break;
        case 'getdefaulttimeout': r = x.getdefaulttimeout() ?? null; break;
        case 'setdefaulttimeout': r = x.setdefaulttimeout(Number(args[0])); break;
        case 'getsockname': {
          const a = x.getsockname(s);
          if (keep) env.set(keep, a);
          out[id] = { ok: portless(a) };
          continue;
        }
        case 'accept': {
          const a = x.accept(s);
          env.set(keep!, a.socket);
          out[id] = { ok: [null, portless(a.address)] };
          continue;
        }
        case 'recv': out[id] = { ok: text(x.recv(s, BigInt(Number(args[0])), 0)) }; continue;
        case 'recvfrom': {
          const { data, address } = x.recvfrom(s, BigInt(Number(args[0])), 0);
          out[id] = { ok: [text(data), portless(address)] };
          continue;
        }
        default: throw new Error(`unknown step call ${call}`);
      }
      if (keep) { env.set(keep, r); out[id] = { ok: null }; continue; }
      out[id] = { ok: r === undefined ? null : r };
    } catch (e) {
      const p = (e as { payload?: CoreError }).payload;
      if (p === undefined) throw e;
      out[id] = { raises: { type: p.exception, errno: p.errno === 0 ? null : p.errno, message: p.message } };
    }
  }
  for (const name of open) {
    if (env.has(name)) { try { x.close(env.get(name) as number); } catch { /* closed already */ } }
  }
  return out;
}

type PolicyCase = [protocols: string[], rules: [string[], string, [number, number] | null][], options: [number, number, [number, number] | null][]];
const describeFailure = (e: unknown): Outcome => {
  const p = (e as { payload?: CoreError }).payload;
  if (p === undefined) throw e;
  return { raises: { type: p.exception, errno: p.errno === 0 ? null : p.errno, message: p.message } };
};
const flags = (names: string[]): Record<string, boolean> => Object.fromEntries(names.map((n) => [n, true]));

/** The script's POLICIES through jco's `wasock:core/policy`, each followed by socket(AF_INET, SOCK_STREAM). */
export function runPolicies(policy: Policy, x: Sockets, cases: PolicyCase[]): { install: Outcome; socket: Outcome }[] {
  return cases.map(([protocols, rules, options]) => {
    let install: Outcome, socket: Outcome;
    try {
      policy.install(flags(protocols),
        rules.map(([uses, address, ports]) => ({ uses: flags(uses), address, ports: ports ?? undefined })),
        options.map(([level, optname, bounds]) => ({ level, optname, bounds: bounds ?? undefined })));
      install = { ok: null };
    } catch (e) { install = describeFailure(e); }
    try { x.close(x.socket(2, 1, 0)); socket = { ok: null }; } catch (e) { socket = describeFailure(e); }
    return { install, socket };
  });
}
