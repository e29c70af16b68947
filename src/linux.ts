// wasock/linux: the Linux host as an entry. network() returns the module API on real kernel
// sockets through libc (koffi), with a core of its own; `capabilities` narrows what the
// host may do (a restricted host: a missing capability raises NotAvailableError).
import { LinuxHost } from '../host/linux/index.js';
import { bindNetwork, type Network, type NetworkOptions } from './network.js';
import type { Capability } from '../host/types.js';

export { LinuxHost };
export type { Network };

export interface LinuxNetworkOptions extends NetworkOptions {
  /** The host's capability set (default: all of Linux's, every one but ioctl.windows). */
  capabilities?: Iterable<Capability>;
  /** The host's name in NotAvailableError messages (default 'linux'). */
  name?: string;
}

/** The module API on a Linux host of its own: `const net = network(); new net.socket()`. */
export function network(options: LinuxNetworkOptions = {}): Network {
  return bindNetwork(new LinuxHost(options.capabilities, options.name), options);
}
