// The module API every entry shares: what needs no host (constants, struct, errors, the
// decoders) and what runs on one (socket and the module functions, on the host the entry
// registers: src/hosts.ts). Nothing here imports a host or a Node module, so a browser
// loads it as it is (src/browser.ts); src/index.ts adds Node's interop and the Linux host.
export * from './generated/constants.js';
export { socket, Socket } from './socket.js';
export * as struct from './struct.js';
export * as io from './io.js';
export * as fcntl from './fcntl.js';
export * from './generated/windows.js';
export { SocketIO } from './io.js';
export { socketpair, fromfd, create_connection, create_server, getdefaulttimeout, setdefaulttimeout } from './functions.js';
export { getaddrinfo, getnameinfo, gethostbyname, gethostbyname_ex, gethostbyaddr, getservbyname, getservbyport,
  getprotobyname, if_nameindex, if_nametoindex, if_indextoname, type AddrInfo } from './names.js';
export { CMSG_LEN, CMSG_SPACE, type AncItem, type RecvmsgResult, type RecvmsgIntoResult } from './msg.js';
export {
  OSError, BlockingIOError, ChildProcessError, ConnectionError, BrokenPipeError,
  ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError, FileExistsError,
  FileNotFoundError, InterruptedError, IsADirectoryError, NotADirectoryError, PermissionError,
  ProcessLookupError, TimeoutError, gaierror, herror, NotAvailableError, ValueError,
  OverflowError, MemoryError, IndexError, SystemError, UnicodeError, UnicodeEncodeError,
} from './errors.js';
export { TimeoutError as timeout, OSError as error } from './errors.js';
export type { Address } from './address.js';
export type { Capability, Host, NodeFd, NodeKind } from '../host/types.js';
export { CAPABILITIES } from '../host/types.js';
export { useHost } from './core.js';
export { policy, Policy, type PolicyUse, type PolicyRequest, type PolicyDecision, type PolicyCheck, type PolicyAudit, type OptionBounds } from './policy.js';
export { DECODERS, decode, encodeLinger, encodeTimeval, encodeIpMreq, encodeIpMreqn, encodeIpv6Mreq, type Decoder, type DecoderName, type Linger, type Timeval, type Ucred, type TcpInfo, type TcpBbrInfo, type Meminfo, type IpMreq, type IpMreqn, type IpMreqSource, type Ipv6Mreq, type InPktinfo, type In6Pktinfo, type Sockaddr, type Cmsg, type TlvOption } from './decoders.js';
