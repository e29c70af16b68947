// `node bench/emulated-fuzz.mjs [ops] [seed]`: issue 11's reliability run, timed: `ops`
// (default FUZZ_OPS or 10^6) random operations with faults on one emulated network
// (test/helpers/emulated-fuzzer.mjs), then its counters and operations per second. A failure
// prints the seed and the replay command. Uses the built package (dist/).
import { fuzz } from '../test/helpers/emulated-fuzzer.mjs';

const ops = Number(process.argv[2] ?? process.env.FUZZ_OPS ?? 1_000_000);
const seed = Number(process.argv[3] ?? process.env.FUZZ_SEED ?? 1);
const t0 = performance.now();
try {
  const r = fuzz({ seed, ops });
  const s = (performance.now() - t0) / 1000;
  console.log(JSON.stringify(r));
  console.log(`${ops} operations (seed ${seed}) in ${s.toFixed(1)} s: ${Math.round(ops / s)} ops/s, ` +
    `${r.errors} Python exceptions (${r.edeadlk} EDEADLK), ${r.bytes} stream bytes and ${r.datagrams} datagrams checked, ` +
    `${r.eofChecks} EOF accountings, ${r.faults} faults, ${r.virtualSeconds} virtual seconds`);
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
}
