// The wasi-p2 component's typed exports: build/wasock-wasi-p2.component.wasm exports
// wit/core.wit's `wasock:core/sockets` and `wasock:core/policy` over its wasi:sockets host, so a
// component runtime calls it without wasock's JavaScript. Here through jco 1.11.3's bindings
// (the same transpile src/wasi-p2.ts runs), on preview2-shim and on wasock's own provider
// (backed by real kernel sockets), against CPython's answers for the same steps
// (scripts/wasi_p2_scenario.py, run now on this kernel). test/wasi-p2-wasmtime.test.ts runs
// the same steps in wasmtime.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { componentWit } from 'jco-1-11';
import * as shim from '@bytecodealliance/preview2-shim';
import { instantiate, CORE_MODULES_BASE64 } from '../host/wasi-p2/bindings.generated.js';
import { WASI_P2_CAPS, wasiImportsOf, type WasiImports } from '../host/wasi-p2/index.js';
import { CAPABILITIES } from '../host/types.js';
import { wasiSockets } from '../src/wasi-sockets.js';
import { network as linuxNetwork } from '../src/linux.js';
import type { Policy, Sockets } from './helpers/component.js';
import { runSteps, scenario, type Outcome } from './helpers/p2-scenario.js';

const COMPONENT = new URL('../build/wasock-wasi-p2.component.wasm', import.meta.url);

let modules: Map<string, WebAssembly.Module> | null = null;
/** A fresh instance of the component (its own core, its own socket table) on `wasi`. */
function typed(wasi: WasiImports): { sockets: Sockets; policy: Policy } {
  modules ??= new Map(Object.entries(CORE_MODULES_BASE64 as Record<string, string>).map(([n, b]) => [n, new WebAssembly.Module(Buffer.from(b, 'base64'))]));
  const x = instantiate((n: string) => modules!.get(n)!, wasi) as Record<string, unknown>;
  return { sockets: x.sockets as Sockets, policy: x.policy as Policy };
}

const PROVIDERS: Record<string, () => WasiImports> = {
  'preview2-shim': () => wasiImportsOf(shim as never),
  "wasock's provider (Linux host)": () => wasiSockets({ network: linuxNetwork() }).imports() as WasiImports,
};

const steps = scenario<{ steps: never[]; open: string[] }>('steps');
const cpython = scenario<{ results: Record<string, Outcome> }>('cpython').results;

describe('the wasi-p2 component: its world', () => {
  it('imports only wasi:* (stable 0.2.3: no @unstable network-error-code) and exports wasock:core types, sockets and policy', async () => {
    const wit = await componentWit(readFileSync(COMPONENT));
    const imports = [...wit.matchAll(/^\s*import ([^;]+);/gm)].map((m) => m[1]);
    const exports = [...wit.matchAll(/^\s*export ([^;]+);/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((i) => !i.startsWith('wasi:'))).toEqual([]);
    expect(exports.sort()).toEqual(['wasock:core/policy', 'wasock:core/sockets', 'wasock:core/types']);
    expect(wit).not.toMatch(/network-error-code/);
  });
});

for (const [name, make] of Object.entries(PROVIDERS)) {
  describe(`the wasi-p2 component's wasock:core/sockets through jco, on ${name}`, () => {
    it('every step answers as CPython does on this kernel (socket, options, bind/listen/connect/accept, data, timeouts, errors, UDP)', () => {
      const { sockets } = typed(make());
      const got = runSteps(sockets, steps.steps, steps.open);
      // No divergence to name: preview2-shim's profile defects (WASI_P2_PROFILE) lie outside
      // these steps (the options it keeps in JS read back what was set).
      expect(Object.keys(got)).toEqual(Object.keys(cpython));
      for (const [id, want] of Object.entries(cpython)) expect(got[id], id).toEqual(want);
    });

    it('the capability set without a JavaScript side to give it is WASI_P2_CAPS (component/wasi-p2-start.ts)', () => {
      const { sockets } = typed(make());
      for (const c of CAPABILITIES) expect(sockets.hasCapability(c), c).toBe(WASI_P2_CAPS.includes(c));
      // What p2 lacks is NotAvailableError naming this host, as wasock's own API words it.
      let err: { exception: string; message: string } | undefined;
      try { sockets.socket(1, 1, 0); } catch (e) { err = (e as { payload: { exception: string; message: string } }).payload; }
      expect(err?.exception).toBe('NotAvailableError');
      expect(err?.message).toMatch(/wasi-p2/);
    });

    it('the policy interface applies before the host is asked: a denied connect is PermissionError, no p2 call made', () => {
      const { sockets, policy } = typed(make());
      policy.install({ tcp: true }, [{ uses: { bind: true }, address: '127.0.0.1', ports: undefined }], []);
      const s = sockets.socket(2, 1, 0);
      let err: { exception: string; errno: number } | undefined;
      try { sockets.connect(s, { tag: 'inet', val: { host: '127.0.0.1', port: 9 } }); } catch (e) { err = (e as { payload: { exception: string; errno: number } }).payload; }
      expect(err).toMatchObject({ exception: 'PermissionError', errno: 1 });
      sockets.close(s);
      expect(() => policy.install({ tcp: true }, [{ uses: { bind: true }, address: '10.0.0.0/99', ports: undefined }], [])).toThrow();
    });
  });
}
