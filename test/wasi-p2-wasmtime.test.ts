// The wasi-p2 component in a second component runtime: wasmtime (wasmtime-py 49, its C API),
// with wasmtime's own wasi:sockets/io/clocks 0.2.3 (`add_wasip2`) and network access
// (`inherit_network`), driving `wasock:core/sockets` through wasmtime's canonical ABI. The
// steps are scripts/wasi_p2_scenario.py's; the script also runs them through CPython's socket
// module in the same process, the oracle compared here.
//
// What wasmtime 49's C API allows: since wasmtime #13936 TCP and UDP socket creation are off
// unless allowed (`allow_tcp`/`allow_udp`, which the CLI's -S inherit-network turns on), and
// the C API has no function for either, so through wasmtime-py 49 every create-tcp-socket /
// create-udp-socket answers access-denied. The test pins exactly that: each socket() is
// PermissionError [Errno 13], the steps on those sockets cannot run, and every step that
// needs no socket answers as CPython does. When wasmtime-py offers the switches, the script
// uses them and this test requires every step to agree with CPython.
//
// wasmtime-py lives in a venv that .ci/run makes (build/venv-wasmtime; WASOCK_WASMTIME_PYTHON
// names another interpreter that has it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WASI_P2_CAPS } from '../host/wasi-p2/index.js';
import type { Capability } from '../host/types.js';
import { runPolicies, scenario, type Outcome } from './helpers/p2-scenario.js';
import type { Policy, Sockets } from './helpers/component.js';
import { instantiate, CORE_MODULES_BASE64 } from '../host/wasi-p2/bindings.generated.js';
import { wasiSockets } from '../src/wasi-sockets.js';
import { network as linuxNetwork } from '../src/linux.js';

const PYTHON = process.env.WASOCK_WASMTIME_PYTHON
  ?? fileURLToPath(new URL('../build/venv-wasmtime/bin/python', import.meta.url));
const COMPONENT = fileURLToPath(new URL('../build/wasock-wasi-p2.component.wasm', import.meta.url));

interface WasmtimeRun {
  results: Record<string, Outcome>;
  cpython: Record<string, Outcome>;
  allows: { inherit_network: boolean; wasi_config_allow_tcp: boolean; wasi_config_allow_udp: boolean };
  policies: { install: Outcome; socket: Outcome }[];
  capabilities: Record<string, boolean>;
  wasmtime: string;
}

type Step = [id: string, call: string, target: string | null, args: unknown[], keep: string | null];

let cached: WasmtimeRun | null = null;
/** One run of the script in wasmtime (it compiles the component: ~1 s). */
const wasmtimeRun = (): WasmtimeRun => (cached ??= scenario<WasmtimeRun>('wasmtime', PYTHON, [COMPONENT]));

describe('the wasi-p2 component in wasmtime (wasmtime-py, wasmtime\'s own wasi:sockets)', () => {
  it('wasmtime-py is installed where .ci/run puts it', () => {
    expect(existsSync(PYTHON), `${PYTHON}: run .ci/run's wasmtime-py step (python3 -m venv build/venv-wasmtime && build/venv-wasmtime/bin/pip install wasmtime)`).toBe(true);
  });

  it('instantiates, and every step answers as CPython does, but for the sockets the runtime refuses to create', () => {
    const run = wasmtimeRun();
    const { steps } = scenario<{ steps: Step[] }>('steps');
    expect(run.wasmtime).toMatch(/^\d+\./);
    expect(run.allows.inherit_network).toBe(true);
    const refused = new Set<string>();   // variables of sockets wasmtime would not create
    let compared = 0;
    for (const [id, call, target, args, keep] of steps) {
      const got = run.results[id], want = run.cpython[id];
      if (call === 'socket' && 'ok' in want) {
        const dgram = args[1] === 2;
        if (!(dgram ? run.allows.wasi_config_allow_udp : run.allows.wasi_config_allow_tcp)) {
          // wasmtime's access-denied for a creation its context does not allow, as the core maps it.
          expect(got, `${id}: wasmtime ${run.wasmtime} refuses ${dgram ? 'UDP' : 'TCP'} sockets through its C API`)
            .toEqual({ raises: { type: 'PermissionError', errno: 13, message: '[Errno 13] Permission denied' } });
          if (keep) refused.add(keep);
          continue;
        }
      }
      const needs = [target, ...args.map((a) => (a !== null && typeof a === 'object' && 'ref' in (a as object) ? (a as { ref: string }).ref : null))];
      if (needs.some((v) => v !== null && (refused.has(v)))) {
        expect(got, id).toHaveProperty('skipped');   // it needs a socket wasmtime did not make
        if (keep) refused.add(keep);
        continue;
      }
      expect(got, id).toEqual(want);
      compared++;
    }
    // Without sockets: socket()'s argument errors (before p2 is asked), the default timeout.
    expect(compared).toBeGreaterThanOrEqual(5);
  });

  it('the capability set the typed exports start with is WASI_P2_CAPS (no JavaScript side to give it)', () => {
    const run = wasmtimeRun();
    for (const [name, has] of Object.entries(run.capabilities)) expect(has, name).toBe(WASI_P2_CAPS.includes(name as Capability));
  });

  it('wasock:core/policy (flags, lists of records, options, tuples) answers in wasmtime as through jco; a denial comes before the runtime is asked', () => {
    const run = wasmtimeRun();
    const { policies } = scenario<{ policies: never[] }>('steps');
    const mods = new Map(Object.entries(CORE_MODULES_BASE64 as Record<string, string>).map(([n, b]) => [n, new WebAssembly.Module(Buffer.from(b, 'base64'))]));
    const x = instantiate((n: string) => mods.get(n)!, wasiSockets({ network: linuxNetwork() }).imports()) as { sockets: Sockets; policy: Policy };
    const jco = runPolicies(x.policy, x.sockets, policies);
    expect(run.policies.length).toBe(jco.length);
    run.policies.forEach((w, i) => {
      expect(w.install, `policy ${i}`).toEqual(jco[i].install);
      if ('raises' in jco[i].socket || run.allows.wasi_config_allow_tcp) expect(w.socket, `policy ${i} then socket()`).toEqual(jco[i].socket);
      else expect(w.socket).toMatchObject({ raises: { errno: 13 } });   // no policy refused it: the runtime did
    });
    // The last policy allows UDP only: TCP is the policy's PermissionError (EPERM), not wasmtime's EACCES.
    expect(run.policies[run.policies.length - 1].socket).toMatchObject({ raises: { type: 'PermissionError', errno: 1 } });
  });
});
