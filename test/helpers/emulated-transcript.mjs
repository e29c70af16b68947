// A transcript of an emulated run with nothing normalised: raw ephemeral ports, every option
// row's bytes on each socket, TCP_INFO, errors, the virtual clock, and seeded fault draws
// (UDP loss and jitter between two machines). test/emulated-network.test.ts runs it in two
// processes and compares: `node emulated-transcript.mjs <seed>`. Uses the built package (dist/).
import { network } from '../../dist/src/emulated.js';
import { optionTable } from '../../dist/src/options.js';

const seed = Number(process.argv[2] ?? 1);
const out = [];
const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
const net = network({ seed, addresses: ['10.0.0.1'], machines: { far: { addresses: ['10.0.0.2'] } } });
const far = net.machine('far');
const { AF_INET, SOCK_STREAM, SOCK_DGRAM } = net;
const rows = optionTable();
const options = (name, s) => {
  for (const r of rows) {
    try { out.push(`${name} ${r.name}@${r.levelName} = ${hex(s.getsockopt(r.level, r.value, Math.max(r.size, 4)))}`); }
    catch (e) { out.push(`${name} ${r.name}@${r.levelName} !! ${e.name} ${e.message}`); }
  }
};
const l = new net.socket(AF_INET, SOCK_STREAM);
l.bind(['127.0.0.1', 0]); l.listen(2);
const c = new net.socket(AF_INET, SOCK_STREAM); c.connect(l.getsockname());
const [a, peer] = l.accept();
out.push(`listener ${JSON.stringify(l.getsockname())} client ${JSON.stringify(c.getsockname())} peer ${JSON.stringify(peer)}`);
c.sendall(new Uint8Array(5000).fill(7));
out.push(`recv ${a.recv(100000).length}`);
for (const [n, s] of [['listener', l], ['client', c], ['accepted', a]]) options(n, s);
c.close();
try { a.send(new Uint8Array(3)); a.send(new Uint8Array(3)); } catch (e) { out.push(`${e.name} ${e.message}`); }
a.close(); l.close();
const u = new net.socket(AF_INET, SOCK_DGRAM); u.bind(['10.0.0.1', 0]);
const v = new far.socket(AF_INET, SOCK_DGRAM); v.bind(['10.0.0.2', 0]);
net.faults.udp({ loss: 0.3, duplicate: 0.1, reorder: 0.1 });
net.faults.latency('local', 'far', 0.01, 0.005);
for (let i = 0; i < 50; i++) u.sendto(new Uint8Array([i]), v.getsockname());
v.settimeout(1);
const got = [];
try { for (;;) got.push(v.recvfrom(10)[0][0]); } catch (e) { out.push(`udp ended with ${e.name} at ${net.clock.now()}`); }
out.push(`udp received ${got.join(',')} from ${JSON.stringify(u.getsockname())}`);
u.close(); v.close();
out.push(`clock ${net.clock.now()}`);
process.stdout.write(out.join('\n') + '\n');
