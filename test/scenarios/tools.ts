// Small helpers the scenarios share: reading kernel state the way a Python program would
// (TCP_INFO's state byte, ioctl SIOCINQ/SIOCOUTQ) and the usual loopback setups.
import type { Network } from '../../src/linux.js';
import type { socket, Address } from '../../src/index.js';
import { repr, type Env } from './transcript.js';

export type Sock = InstanceType<Network['socket']>;

export const LOCAL = '127.0.0.1';
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** TCP states as include/net/tcp_states.h numbers them (tcpi_state). */
const TCP_STATES = ['?', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT',
  'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV'];

/** struct tcp_info's first byte, tcpi_state: `s.getsockopt(IPPROTO_TCP, TCP_INFO, 8)[0]`. */
export function tcpState(net: Network, s: socket): string {
  const info = s.getsockopt(net.IPPROTO_TCP, net.TCP_INFO, 8) as Uint8Array;
  return `${info[0]} (${TCP_STATES[info[0]] ?? '?'})`;
}

/** fcntl.ioctl(s, request, bytearray(4)) read back as a C int: SIOCINQ / FIONREAD / SIOCOUTQ. */
export function ioctlInt(net: Network, s: socket, request: number): number {
  const buf = new Uint8Array(4);
  net.fcntl.ioctl(s, request, buf);
  return new DataView(buf.buffer).getInt32(0, true);
}

/** struct linger {l_onoff, l_linger}, as struct.pack('ii', onoff, linger). */
export const linger = (onoff: number, secs: number): Uint8Array => new Uint8Array(new Int32Array([onoff, secs]).buffer);

/** A TCP listener on 127.0.0.1, an ephemeral port. */
export function listener(net: Network, backlog = 5): Sock {
  const l = new net.socket(net.AF_INET, net.SOCK_STREAM);
  l.bind([LOCAL, 0]);
  l.listen(backlog);
  return l;
}

/** A connected TCP pair over loopback: [listener, client, accepted]. */
export function tcpPair(net: Network): [Sock, Sock, Sock] {
  const l = listener(net);
  const c = new net.socket(net.AF_INET, net.SOCK_STREAM);
  c.connect(l.getsockname());
  const [p] = l.accept();
  return [l, c, p];
}

/** A port nobody listens on: bound once by this network, then closed. */
export function closedPort(net: Network, type: number): number {
  const s = new net.socket(net.AF_INET, type);
  s.bind([LOCAL, 0]);
  const port = (s.getsockname() as [string, number])[1];
  s.close();
  return port;
}

/** A recvfrom() result as Python prints it, the address normalised. */
export const showFrom = (env: Env) => (r: [Uint8Array, Address]): string => `(${repr(r[0])}, ${env.addr(r[1])})`;
/** A recvfrom_into() result: (nbytes, address). */
export const showFromInto = (env: Env) => (r: [number, Address]): string => `(${r[0]}, ${env.addr(r[1])})`;
