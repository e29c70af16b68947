// Every scenario, by the name its tests carry. Add a scenario here and it runs on every
// network of test/helpers/networks.ts.
import type { Scenario } from './transcript.js';
import { tcpCloseUnreadRst, tcpLingerZeroRst, tcpHalfClose, tcpShutRd, tcpSendAfterPeerClosed } from './tcp-close.js';
import { tcpRefused } from './tcp-refused.js';
import { tcpAddrInUse, tcpTimeWait } from './tcp-addrinuse.js';
import { tcpRecvFlags, tcpIoctlStates } from './tcp-recv.js';
import { tcpBackpressure } from './tcp-backpressure.js';
import { tcpAcceptInherits, tcpStateMatrix } from './tcp-options.js';
import { tcpInfoStates } from './tcp-states.js';
import { udpDatagrams, udpConnectedFilter, udpRefused } from './udp.js';
import { unixStreamPath, unixStreamAbstract, unixDgram, unixSocketpair } from './unix.js';
import { tcpBacklog0, tcpBacklog1, tcpNonBlockingConnect } from './tcp-backlog.js';

export type { Scenario };

export const SCENARIOS: Record<string, Scenario> = {
  'tcp: listen(0) queue full': tcpBacklog0,
  'tcp: listen(1) queue full': tcpBacklog1,
  'tcp: non-blocking connect with room': tcpNonBlockingConnect,
  'tcp: close() with unread data sends RST': tcpCloseUnreadRst,
  'tcp: SO_LINGER {1, 0} close sends RST': tcpLingerZeroRst,
  'tcp: half-close with SHUT_WR': tcpHalfClose,
  'tcp: SHUT_RD': tcpShutRd,
  'tcp: send after the peer closed': tcpSendAfterPeerClosed,
  'tcp: ECONNREFUSED on a closed port': tcpRefused,
  'tcp: EADDRINUSE with SO_REUSEADDR and SO_REUSEPORT': tcpAddrInUse,
  'tcp: TIME_WAIT and rebinding': tcpTimeWait,
  'tcp: MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, recv_into, SIOCINQ/SIOCOUTQ': tcpRecvFlags,
  'tcp: SIOCINQ/SIOCOUTQ by state': tcpIoctlStates,
  'tcp: backpressure at SO_RCVBUF/SO_SNDBUF 4096': tcpBackpressure,
  'tcp: accept() inherits the listener options': tcpAcceptInherits,
  'sockets: read-only options by state': tcpStateMatrix,
  'tcp: TCP_INFO tcpi_state through a connection': tcpInfoStates,
  'udp: datagram boundaries, truncation, empty datagrams, MSG_PEEK': udpDatagrams,
  'udp: a connected socket filters other peers': udpConnectedFilter,
  'udp: ECONNREFUSED after sending to a closed port': udpRefused,
  'unix: stream on a path': unixStreamPath,
  'unix: stream on abstract names and autobind': unixStreamAbstract,
  'unix: datagrams': unixDgram,
  'unix: socketpair stream, dgram, seqpacket': unixSocketpair,
};
