// The kernel bugs test/helpers/emulated-fuzzer.mjs found, each as the smallest run that showed
// it. Before its fix each of these looped forever inside the core (a wait whose readiness
// check said ready while the call could not complete), so they run in a child process:
// `node emulated-fuzz-regressions.mjs <name>` prints one JSON line, what each call did.
import { network } from '../../dist/src/emulated.js';

const outcome = (f) => {
  try { const r = f(); return r instanceof Uint8Array ? `bytes ${r.length}` : `ok ${r ?? ''}`.trim(); }
  catch (e) { return `${e.constructor.name} ${e.errno ?? ''}`.trim(); }
};
const two = () => network({ seed: 1, addresses: ['10.0.0.1'], machines: { m1: { addresses: ['10.0.0.2'] } } });

export const regressions = {
  // kernel/stream.ts writable(): a listener counted as writable, poll() did not: send() with a timeout spun.
  'send on a listener with a timeout'() {
    const net = network({ seed: 1 });
    const l = new net.socket(); l.bind(['127.0.0.1', 0]); l.listen(1);
    l.settimeout(0.5);
    const t0 = net.clock.now();
    const r = [outcome(() => l.send(new Uint8Array(4))), `after ${net.clock.now() - t0}`];
    l.settimeout(null);
    r.push(outcome(() => l.send(new Uint8Array(4))));
    l.close();
    return r;
  },
  // Same, for a listener that had shut its writing side (or holds an error) before listen().
  'send on a listener that shut down its writing side before listening'() {
    const net = network({ seed: 1 });
    const s = new net.socket(net.AF_UNIX, net.SOCK_STREAM); s.bind('/tmp/l'); s.shutdown(net.SHUT_WR); s.listen(1);
    s.settimeout(0.5);
    const r = [outcome(() => s.send(new Uint8Array(4)))];
    s.close();
    return r;
  },
  // ops.ts unixConnect(): a connect to a full unix backlog waited for "a connection to accept" (ready at once): it spun.
  'unix connect to a full backlog'() {
    const net = network({ seed: 1 });
    const l = new net.socket(net.AF_UNIX, net.SOCK_STREAM); l.bind('/tmp/full'); l.listen(0);
    const a = new net.socket(net.AF_UNIX, net.SOCK_STREAM); a.connect('/tmp/full');
    const b = new net.socket(net.AF_UNIX, net.SOCK_STREAM); b.settimeout(1);
    const c = new net.socket(net.AF_UNIX, net.SOCK_STREAM);
    const r = [outcome(() => b.connect('/tmp/full')), outcome(() => c.connect('/tmp/full'))];
    const [x] = l.accept();
    r.push(outcome(() => c.connect('/tmp/full')));
    for (const s of [l, a, b, c, x]) s.close();
    return r;
  },
  // ops.ts connect(): a connection reset, then connect() again, kept the old flags and bytes
  // (recv with a timeout spun on a stale RCV_SHUTDOWN in SYN_SENT). Linux: EISCONN.
  'connect again after a reset connection'() {
    const net = two();
    const m1 = net.machine('m1');
    const l = new m1.socket(); l.bind(['10.0.0.2', 5000]); l.listen(4);
    const c = new net.socket(); c.connect(['10.0.0.2', 5000]);
    const [a] = l.accept();
    a.send(new Uint8Array(10));
    net.faults.reset(c);
    const r = [outcome(() => c.recv(100)), outcome(() => c.connect(['10.0.0.2', 5000]))];
    // A connect that failed starts afresh: refused, then connected.
    const d = new net.socket(); d.settimeout(5);
    // (The second connect reports the first one's end once, as inet_stream_connect does: ECONNABORTED.)
    r.push(outcome(() => d.connect(['10.0.0.2', 5001])), outcome(() => d.connect(['10.0.0.2', 5000])), outcome(() => d.connect(['10.0.0.2', 5000])));
    const [e] = l.accept();
    e.close();
    for (const s of [l, c, a, d]) s.close();
    return r;
  },
  // ops.ts shutdown(): shutdown() in SYN_SENT kept the connect going with HUP polled: send() with a timeout spun.
  'shutdown during a connect'() {
    const net = two();
    const m1 = net.machine('m1');
    const l = new m1.socket(); l.bind(['10.0.0.2', 5000]); l.listen(4);
    net.faults.partition('local', 'm1');
    const c = new net.socket(); c.setblocking(false);
    const r = [outcome(() => c.connect(['10.0.0.2', 5000]))];
    r.push(outcome(() => c.shutdown(net.SHUT_RDWR)));
    c.settimeout(0.05);
    r.push(outcome(() => c.send(new Uint8Array(3))), outcome(() => c.recv(3)));
    net.faults.repair('local', 'm1');
    net.clock.advance(200);
    r.push(outcome(() => l.accept()[1] && 'accepted'));
    l.settimeout(0);
    r.push(outcome(() => l.accept()));
    c.close(); l.close();
    return r;
  },
  // ops.ts revents()/wait.ts: a unix datagram sender facing a full queue polled writable: sendto() with a timeout spun.
  'unix datagrams to a full queue'() {
    const net = network({ seed: 1 });
    const r0 = new net.socket(net.AF_UNIX, net.SOCK_DGRAM); r0.bind('/tmp/r');
    const s = new net.socket(net.AF_UNIX, net.SOCK_DGRAM); s.settimeout(0.25);
    const out = [];
    for (let i = 0; i < 12; i++) out.push(outcome(() => s.sendto(new Uint8Array([i]), '/tmp/r')));
    r0.recv(10);
    out.push(outcome(() => s.sendto(new Uint8Array([99]), '/tmp/r')));
    s.settimeout(null);
    out.push(outcome(() => s.sendto(new Uint8Array([100]), '/tmp/r')));
    r0.close(); s.close();
    return out;
  },
  // ops.ts streamSend(): a SOCK_SEQPACKET record that does not fit waited for "writable" (always): it spun.
  'seqpacket record to a full queue'() {
    const net = network({ seed: 1 });
    const [a, b] = net.socketpair(net.AF_UNIX, net.SOCK_SEQPACKET);
    b.setsockopt(net.SOL_SOCKET, net.SO_RCVBUF, 1);      // 2304: one record fills it
    const out = [outcome(() => a.send(new Uint8Array(1000))), outcome(() => a.send(new Uint8Array(1000)))];
    a.settimeout(0.25);
    out.push(outcome(() => a.send(new Uint8Array(1000))));
    b.recv(2000);
    out.push(outcome(() => a.send(new Uint8Array(1000))));
    a.close(); b.close();
    return out;
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = regressions[process.argv[2]];
  if (!f) { process.stdout.write(JSON.stringify({ error: `no regression '${process.argv[2]}'` }) + '\n'); process.exitCode = 2; }
  else process.stdout.write(JSON.stringify(f()) + '\n');
}
