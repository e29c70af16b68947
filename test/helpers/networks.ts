// The networks the Linux-behaviour scenarios run on (test/linux-behaviours.test.ts). `linux`
// is the reference: real kernel sockets over loopback. Every other entry must produce the
// same transcripts, line by line.
// The emulated network is a fresh one per call: each scenario run starts from the same seed,
// so its ports and autobound names come out in the same order.
import { network as linuxNetwork, type Network } from '../../src/linux.js';
import { network as emulatedNetwork } from '../../src/emulated.js';

export type { Network };

/** name -> a fresh network. `linux` must stay: it is what the others are compared with. */
export const NETWORKS: Record<string, () => Network> = {
  linux: () => linuxNetwork(),
  emulated: () => emulatedNetwork({ seed: 1 }),
};
