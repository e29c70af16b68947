// A Linux host that counts the imports the core calls (and can lack capabilities): how the
// tests prove which host calls a socket call made, or that it made none.
import { LinuxHost } from '../../host/linux/index.js';
import type { HostImports } from '../../host/types.js';

export class CountingHost extends LinuxHost {
  readonly counts: Record<string, number> = {};
  override imports(memory: WebAssembly.Memory): HostImports {
    const real = super.imports(memory) as unknown as Record<string, (...a: unknown[]) => unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(real)) {
      // Same arity as the real function: test/abi.test.ts reads it from here as well.
      out[k] = Object.defineProperty((...a: unknown[]) => { this.counts[k] = (this.counts[k] ?? 0) + 1; return f(...a); }, 'length', { value: f.length });
    }
    return out as unknown as HostImports;
  }
  reset(): void { for (const k of Object.keys(this.counts)) delete this.counts[k]; }
}
