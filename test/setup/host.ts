// vitest setupFile: puts the host named by WASOCK_TEST_HOST under every test file (see
// test/helpers/hosts.ts). `linux` is the default core's own host. `linux-without:<cap>,<cap>`
// is the Linux host with those capabilities taken away: the replays then skip exactly the
// cases that need them (test/host-param.test.ts pins that).
import { useHost, LinuxHost } from '../../src/index.js';
import { CAPABILITIES, type Capability } from '../../host/types.js';
import { EmulatedHost, emulatedCoreModule } from '../../src/emulated.js';
import { EMULATED_ADDRESSES } from '../helpers/hosts.js';

const name = process.env.WASOCK_TEST_HOST ?? 'linux';
if (name.startsWith('linux-without:')) {
  const without = new Set(name.slice('linux-without:'.length).split(','));
  for (const c of without) if (!(CAPABILITIES as readonly string[]).includes(c)) throw new Error(`WASOCK_TEST_HOST: unknown capability '${c}'`);
  const linux = [...new LinuxHost().capabilities];
  useHost(new LinuxHost(linux.filter((c: Capability) => !without.has(c)), name));
} else if (name === 'emulated' || name === 'emulated-windows') {
  // privileged: the fixtures are root's answers (scripts/optiontable.py: generated as root), so
  // the emulated process holds CAP_NET_ADMIN / CAP_NET_RAW and runs as uid 0 here. A second
  // machine, "peer", stands in for the other processes some tests start on Linux (a peer that
  // sends while this one reads: test/helpers/hosts.ts onMachine, EMULATED_ADDRESSES).
  useHost(new EmulatedHost(emulatedCoreModule, {
    seed: 1, profile: name === 'emulated' ? 'linux' : 'windows', privileged: true,
    addresses: [EMULATED_ADDRESSES.local], machines: { peer: { addresses: [EMULATED_ADDRESSES.peer] } },
  }));
} else if (name === 'wasi-p2') {
  // The core as a wasi:* component on preview2-shim (src/wasi-p2.ts): real kernel sockets
  // through the shim's worker, so peers are other processes, as on linux.
  const { WasiP2Host } = await import('../../src/wasi-p2.js');
  const { wasiImportsOf } = await import('../../host/wasi-p2/index.js');
  const shim = await import('@bytecodealliance/preview2-shim');
  useHost(new WasiP2Host(wasiImportsOf(shim as never)));
} else if (name === 'wasi-p2-wasock') {
  // The same component on wasock's own wasi:sockets provider over the Linux host: no worker,
  // no preview2-shim (so none of its profile's defects).
  const { WasiP2Host } = await import('../../src/wasi-p2.js');
  const { wasiSockets } = await import('../../src/wasi-sockets.js');
  const { network } = await import('../../src/linux.js');
  useHost(new WasiP2Host(wasiSockets({ network: network() }).imports() as never, { name: 'wasi-p2-wasock' }, []));
} else if (name === 'wasi-p1') {
  // The core as a WASI preview 1 reactor in @wasmer/wasi, with nothing pre-opened: every case
  // that needs a socket it cannot make skips for the capability (socket.create, bind, …).
  const { WasiP1Host, wasiP1CoreModule } = await import('../../src/wasi-p1.js');
  useHost(new WasiP1Host(wasiP1CoreModule));
} else if (name !== 'linux') {
  throw new Error(`WASOCK_TEST_HOST: unknown host '${name}' (hosts: linux, linux-without:<capabilities>, emulated, emulated-windows, wasi-p2, wasi-p2-wasock, wasi-p1)`);
}
