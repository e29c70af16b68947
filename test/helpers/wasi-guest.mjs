// The guest component of test/fixtures/wasi-guest (guest.wat, guest.wit), built with jco's JS
// API (parse, componentEmbed, componentNew) and transpiled with jco 1.11.3 or 1.35: with
// wasi:sockets, wasi:io and wasi:clocks mapped to wasock/wasi-sockets, or left to jco's
// default (@bytecodealliance/preview2-shim). Used by test/wasi-sockets-component.test.ts and
// bench/wasi-sockets.mjs. The output goes to build/wasi-guest/<jco>-<provider>/, inside the
// package, so that the generated `import ... from 'wasock/wasi-sockets'` resolves to this
// package (dist/) by its own name.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = join(root, 'test/fixtures/wasi-guest');
const builtin = join(root, 'node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12');

export const MAP = {
  'wasi:sockets/*': 'wasock/wasi-sockets#*',
  'wasi:io/*': 'wasock/wasi-sockets#*',
  'wasi:clocks/*': 'wasock/wasi-sockets#*',
};

/** guest.wit with the WASI 0.2.12 packages it uses nested in (one WIT source, no files to preopen). */
export function guestWit() {
  let wit = readFileSync(join(fixture, 'guest.wit'), 'utf8');
  for (const pkg of ['wasi-io', 'wasi-clocks', 'wasi-sockets']) {
    const text = readFileSync(join(builtin, pkg, 'package.wit'), 'utf8');
    const m = /^package ([^;]+);/m.exec(text);
    wit += `\npackage ${m[1]} {\n${text.slice(m.index + m[0].length)}\n}\n`;
  }
  return wit;
}

/** The guest as a component (bytes). */
export async function buildGuest() {
  const jco = await import('jco-1-11');
  const core = await jco.parse(readFileSync(join(fixture, 'guest.wat'), 'utf8'));
  const embedded = await jco.componentEmbed({ binary: core, witSource: guestWit(), world: 'guest' });
  return jco.componentNew(embedded, []);
}

/**
 * Transpiles the component with jco `version` ('1.11' or '1.35'), the WASI imports served by
 * `provider` ('wasock': --map to wasock/wasi-sockets; 'shim': jco's default preview2-shim;
 * 'instantiation': none, `--instantiation sync`, the imports given to instantiate()).
 * Returns the path of the generated module.
 */
export async function transpileGuest(component, version, provider) {
  const jco = version === '1.11' ? await import('jco-1-11') : await import('@bytecodealliance/jco');
  const opts = { name: 'guest', noTypescript: true };
  if (provider === 'wasock') opts.map = MAP;
  if (provider === 'instantiation') opts.instantiation = 'sync';
  const { files } = await jco.transpile(component, opts);
  const out = join(root, 'build/wasi-guest', `jco-${version}-${provider}`);
  for (const [name, bytes] of Object.entries(files)) {
    const path = join(out, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  return join(out, 'guest.js');
}
