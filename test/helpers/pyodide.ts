// What the Pyodide test files share: the instance type they drive and how a script's value
// comes back to JavaScript.
import type { PyodideLike } from '../../src/pyodide-node.js';

/** A Pyodide instance as the tests use it (globals to pass values in and out). */
export type Py = PyodideLike & { globals: { get(n: string): any; set(n: string, v: unknown): void } };

/** How long loading Pyodide instances may take in a beforeAll (a loaded 2-core machine). */
export const LONG = 120_000;

/** Runs `code` in `py` and returns the value of its last expression, converted to JS. */
export function run(py: Py, code: string): any {
  const r = py.runPython(code);
  if (r && typeof r.toJs === 'function') {
    const v = r.toJs({ dict_converter: Object.fromEntries });
    r.destroy();
    return v;
  }
  return r;
}
