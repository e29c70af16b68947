// Builds build/wasock.component.wasm, the core as a component (wit/core.wit, world `core`):
//   1. asc's output (asconfig target "component": build/core-component.wasm);
//   2. each export `sockets_<name>` renamed `wasock:core/sockets#<kebab-name>` with binaryen
//      (shipped with AssemblyScript): asc cannot spell ':' '/' '#' '-' in an export name;
//   3. jco's componentEmbed (the WIT as a custom section, string encoding UTF-8: the core
//      reads host names and paths as UTF-8 bytes, so they cross with no transcoding) and
//      componentNew.
// Runs after asc in `npm run build:core`; the raw core (build/core.wasm) is not touched.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import binaryen from 'binaryen';
import { componentEmbed, componentNew } from '@bytecodealliance/jco';

const root = fileURLToPath(new URL('..', import.meta.url));
const CORE = `${root}build/core-component.wasm`;
export const COMPONENT = `${root}build/wasock.component.wasm`;
const WIT = `${root}wit/core.wit`;
/** asc's export name prefix -> the interface it exports. */
const INTERFACES = { sockets_: 'wasock:core/sockets', policy_: 'wasock:core/policy' };

/** The core module with its exports under their WIT names. */
export function renameExports(bytes) {
  const mod = binaryen.readBinaryWithFeatures ? binaryen.readBinaryWithFeatures(bytes, binaryen.Features.All) : binaryen.readBinary(bytes);
  // asc emits bulk memory and saturating truncation (its defaults): allowed, as asc allowed them.
  mod.setFeatures(binaryen.Features.All);
  try {
    const renames = [];
    for (let i = 0; i < mod.getNumExports(); i++) {
      const info = binaryen.getExportInfo(mod.getExportByIndex(i));
      const prefix = Object.keys(INTERFACES).find((p) => info.name.startsWith(p));
      if (info.kind !== binaryen.ExternalFunction || prefix === undefined) continue;
      renames.push([info.name, info.value, `${INTERFACES[prefix]}#${info.name.slice(prefix.length).replaceAll('_', '-')}`]);
    }
    for (const [name, internal, wit] of renames) {
      mod.removeExport(name);
      mod.addFunctionExport(internal, wit);
    }
    if (!mod.validate()) throw new Error('binaryen: the renamed module does not validate');
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

export async function buildComponent() {
  const core = renameExports(readFileSync(CORE));
  const embedded = await componentEmbed({
    binary: core, witSource: readFileSync(WIT, 'utf8'), world: 'core', stringEncoding: 'utf8',
  });
  const component = await componentNew(embedded, []);
  writeFileSync(COMPONENT, component);
  return component.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = await buildComponent();
  console.log(`build/wasock.component.wasm: ${n} bytes`);
}
