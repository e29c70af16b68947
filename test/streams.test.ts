// toReadable() / toWritable(): Node streams over makefile()'s file objects. Real kernel
// sockets on loopback; peers that must run while this process blocks (a blocking socket
// waits inside read and write) are node:net programs in child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants as os } from 'node:os';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import * as w from '../src/index.js';
import { fdCount } from './helpers/fds.js';

const MB10 = 160;                                          // 160 x 64 KiB = 10 MiB

/** The deterministic 64 KiB blocks both sides agree on (a counter mixed into every word). */
function block(i: number): Uint8Array {
  const b = new Uint32Array(16384);
  let x = (i + 1) * 2654435761;
  for (let k = 0; k < b.length; k++) { x = (x ^ (x << 13)) >>> 0; x = (x ^ (x >>> 17)) >>> 0; x = (x ^ (x << 5)) >>> 0; b[k] = x; }
  return new Uint8Array(b.buffer);
}

function expectedHash(blocks: number): string {
  const h = createHash('sha256');
  for (let i = 0; i < blocks; i++) h.update(block(i));
  return h.digest('hex');
}

async function* blocks(n: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < n; i++) yield block(i);
}

/** Hashes everything a Readable gives. */
async function hashOf(r: Readable): Promise<{ n: number; hash: string }> {
  const h = createHash('sha256');
  let n = 0;
  for await (const c of r) { h.update(c as Uint8Array); n += (c as Uint8Array).length; }
  return { n, hash: h.digest('hex') };
}

/** A node:net program in a child process connected to a wasock listener: [accepted socket, child]. */
function peer(body: string): { sock: w.socket; child: ChildProcess; out: Promise<string> } {
  const l = new w.socket();
  l.bind(['127.0.0.1', 0]);
  l.listen();
  const port = (l.getsockname() as [string, number])[1];
  const script = `
    import net from 'node:net';
    import { createHash } from 'node:crypto';
    ${block.toString()}
    const s = net.connect({ port: ${port}, host: '127.0.0.1', allowHalfOpen: true });
    ${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout!.on('data', (d) => { text += d; });
  const out = new Promise<string>((res) => child.on('exit', () => res(text)));
  l.settimeout(30);
  const [sock] = l.accept();
  l.close();
  return { sock, child, out };
}

const ECHO = 's.pipe(s);';
const SINK = `const h = createHash('sha256'); let n = 0;
  s.on('data', (c) => { h.update(c); n += c.length; });
  s.on('end', () => s.end(JSON.stringify({ n, hash: h.digest('hex') })));`;
const SOURCE = (n: number) => `for (let i = 0; i < ${n}; i++) s.write(block(i)); s.end();`;

/** Everything a blocking socket receives until EOF. */
function recvAll(s: w.socket): Uint8Array {
  const parts: Uint8Array[] = [];
  for (;;) {
    const c = s.recv(65536);
    if (c.length === 0) break;
    parts.push(c);
  }
  return Buffer.concat(parts);
}

/** A loopback TCP pair made in this process (connect completes through the backlog). */
function tcpPair(): [w.socket, w.socket] {
  const l = new w.socket();
  l.bind(['127.0.0.1', 0]);
  l.listen();
  const c = new w.socket();
  c.connect(l.getsockname());
  const [a] = l.accept();
  l.close();
  return [a, c];
}

/** Resets a TCP socket: SO_LINGER {1, 0} then close sends RST instead of FIN. */
function reset(s: w.socket): void {
  s.setsockopt(w.SOL_SOCKET, w.SO_LINGER, new Uint8Array(new Int32Array([1, 0]).buffer));
  s.close();
}

/** The error a function throws (it must throw). */
function thrown(f: () => unknown): Error {
  try { f(); } catch (e) { return e as Error; }
  throw new Error('expected an exception');
}

const closed = (s: Readable | Writable) => new Promise<void>((r) => s.on('close', () => r()));
const errorOf = (s: Readable | Writable) => new Promise<Error>((r) => s.on('error', r));

describe('streams: integrity', () => {
  it("pipeline(): 10 MB through toWritable(makefile('wb')) to an echo peer and back through toReadable(makefile('rb')) are byte-identical, and the event loop keeps running (non-blocking socket)", async () => {
    const { sock: a, out } = peer(ECHO);
    a.setblocking(false);
    let ticks = 0;
    const t = setInterval(() => { ticks++; }, 1);
    const back = hashOf(w.toReadable(a.makefile('rb')));
    await pipeline(blocks(MB10), w.toWritable(a.makefile('wb')));
    a.shutdown(w.SHUT_WR);
    const got = await back;
    clearInterval(t);
    expect(got.n).toBe(MB10 * 65536);
    expect(got.hash).toBe(expectedHash(MB10));
    // Both directions ran at once in one thread: a blocking socket would have deadlocked.
    expect(ticks).toBeGreaterThan(0);
    expect(a._io_refs).toBe(0);
    a.close();
    await out;
  }, 60_000);

  it('a blocking socket: 10 MB written through toWritable() reach a hashing peer intact', async () => {
    const { sock: a, out } = peer(SINK);
    await pipeline(blocks(MB10), w.toWritable(a.makefile('wb')));
    a.shutdown(w.SHUT_WR);
    a.settimeout(30);
    const reply = JSON.parse(new TextDecoder().decode(recvAll(a)));
    expect(reply).toEqual({ n: MB10 * 65536, hash: expectedHash(MB10) });
    a.close();
    await out;
  }, 60_000);

  it('a blocking socket: 10 MB sent by a peer arrive intact through toReadable()', async () => {
    const { sock: a, out } = peer(SOURCE(MB10));
    a.settimeout(30);
    const got = await hashOf(w.toReadable(a.makefile('rb')));
    expect(got).toEqual({ n: MB10 * 65536, hash: expectedHash(MB10) });
    a.close();
    await out;
  }, 60_000);

  it('unbuffered files (SocketIO, buffering 0) and BufferedRWPair files stream too', async () => {
    const [a, b] = w.socketpair();
    a.setblocking(false); b.setblocking(false);
    const data = Buffer.concat([block(0), block(1), block(2)]);
    const back = hashOf(w.toReadable(b.makefile('rwb')));
    await pipeline(Readable.from([data]), w.toWritable(a.makefile('wb', 0)));
    a.shutdown(w.SHUT_WR);
    expect(await back).toEqual({ n: data.length, hash: createHash('sha256').update(data).digest('hex') });
    const back2 = hashOf(w.toReadable(a.makefile('rb', 0)));
    await pipeline(Readable.from([data]), w.toWritable(b.makefile('rwb')));
    b.shutdown(w.SHUT_WR);
    expect((await back2).n).toBe(data.length);
    a.close(); b.close();
  });

  it('bytes a BufferedReader already holds come first, nothing is read twice', async () => {
    const [a, b] = w.socketpair();
    b.sendall(new TextEncoder().encode('line one\nline two\nrest'));
    b.shutdown(w.SHUT_WR);
    const f = a.makefile('rb');
    expect(new TextDecoder().decode(f.readline())).toBe('line one\n');
    const chunks: Buffer[] = [];
    for await (const c of w.toReadable(f)) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('line two\nrest');
    a.close(); b.close();
  });
});

describe('streams: text files', () => {
  it("toReadable(makefile('r')) emits strings decoded as readline() decodes them: a character split across sends, '\\r' then '\\n' in the next send", async () => {
    const [a, b] = w.socketpair();
    a.setblocking(false);
    const r = w.toReadable(a.makefile('r'));
    const parts: unknown[] = [];
    const done = (async () => { for await (const c of r) parts.push(c); })();
    const bytes = new TextEncoder().encode('h\u00e9llo\r\nw\u00f6rld \u{1F600}\r');
    // one byte at a time, each on its own turn of the loop, so every split is seen
    for (const x of bytes) { b.sendall(new Uint8Array([x])); await new Promise((res) => setTimeout(res, 1)); }
    b.sendall(new TextEncoder().encode('\nend\r'));
    b.shutdown(w.SHUT_WR);
    await done;
    expect(parts.every((p) => typeof p === 'string')).toBe(true);
    // The file read directly gives the same text (universal newlines, utf-8).
    const [c, d] = w.socketpair();
    d.sendall(Buffer.concat([bytes, new TextEncoder().encode('\nend\r')]));
    d.shutdown(w.SHUT_WR);
    const direct = c.makefile('r').read();
    expect(parts.join('')).toBe(direct);
    a.close(); b.close(); c.close(); d.close();
  });

  it("toWritable(makefile('w', null, {newline, encoding})) writes the bytes the text file's write() + flush() writes", async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{}, ['caf\u00e9\n', 'line\r\n', '\u20ac\u{1F600}\n']],
      [{ newline: '\r\n' }, ['caf\u00e9\n', 'line\r\n', '\u20ac\u{1F600}\n']],
      [{ newline: '\r' }, ['a\nb\n']],
      [{ encoding: 'latin-1' }, ['caf\u00e9\n', 'line\r\n']],
      [{ encoding: 'ascii', errors: 'backslashreplace' }, ['caf\u00e9\n', '\u20ac\u{1F600}\n']],
      [{ errors: 'surrogateescape' }, ['\udce9x\n', 'ok\n']],
    ];
    for (const [opts, strs] of cases) {
      const [a, b] = w.socketpair();
      await pipeline(Readable.from(strs, { objectMode: true }), w.toWritable(a.makefile('w', null, opts)));
      a.shutdown(w.SHUT_WR);
      const viaStream = recvAll(b);
      const [c, d] = w.socketpair();
      const f = c.makefile('w', null, opts);
      for (const s of strs) f.write(s);
      f.close();
      c.shutdown(w.SHUT_WR);
      expect(Buffer.from(viaStream).toString('hex')).toBe(Buffer.from(recvAll(d)).toString('hex'));
      a.close(); b.close(); c.close(); d.close();
    }
  });

  it('a text Readable after readline(): the text decoded ahead comes first', async () => {
    const [a, b] = w.socketpair();
    b.sendall(new TextEncoder().encode('first\nsecond\nthird'));
    b.shutdown(w.SHUT_WR);
    const f = a.makefile('r');
    expect(f.readline()).toBe('first\n');
    let s = '';
    for await (const c of w.toReadable(f)) s += c;
    expect(s).toBe('second\nthird');
    a.close(); b.close();
  });

  it('text written to the file before toWritable() goes out first', async () => {
    const [a, b] = w.socketpair();
    const f = a.makefile('w');
    f.write('before ');
    await pipeline(Readable.from(['after'], { objectMode: true }), w.toWritable(f));
    a.shutdown(w.SHUT_WR);
    expect(new TextDecoder().decode(recvAll(b))).toBe('before after');
    a.close(); b.close();
  });

  it("encoding errors are the stream's error, with the text file's own exception", async () => {
    const [a, b] = w.socketpair();
    const direct = thrown(() => a.makefile('w', null, { encoding: 'ascii' }).write('\u00e9'));
    const ws = w.toWritable(a.makefile('w', null, { encoding: 'ascii' }));
    const err = errorOf(ws);
    ws.write('\u00e9');
    const e = await err;
    expect(e.constructor).toBe(direct.constructor);
    expect(e.message).toBe(direct.message);

    b.sendall(new Uint8Array([0x61, 0xff, 0x62]));
    b.shutdown(w.SHUT_WR);
    const [c, d] = w.socketpair();
    d.sendall(new Uint8Array([0x61, 0xff, 0x62]));
    const directRead = thrown(() => c.makefile('r').read(3));
    const rs = w.toReadable(a.makefile('r'));
    const rerr = errorOf(rs);
    rs.resume();
    const re = await rerr;
    expect(re.constructor.name).toBe('UnicodeDecodeError');
    expect(re.constructor).toBe(directRead.constructor);
    expect(re.message).toBe(directRead.message);
    a.close(); b.close(); c.close(); d.close();
  });

  it("a text Writable rejects bytes with TextIOWrapper.write()'s TypeError", async () => {
    const [a, b] = w.socketpair();
    const direct = thrown(() => a.makefile('w').write(Buffer.from('x') as never));
    const ws = w.toWritable(a.makefile('w'));
    const err = errorOf(ws);
    ws.write(Buffer.from('x'));
    const e = await err;
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(direct.message);
    a.close(); b.close();
  });
});

describe('streams: errors', () => {
  for (const mode of ['blocking', 'non-blocking'] as const) {
    it(`a peer reset is the Readable's error: ConnectionResetError with errno ECONNRESET (${mode})`, async () => {
      const [a, c] = tcpPair();
      if (mode === 'non-blocking') a.setblocking(false);
      reset(c);
      const r = w.toReadable(a.makefile('rb'));
      const err = errorOf(r), done = closed(r);
      r.resume();
      const e = await err as w.OSError;
      expect(e).toBeInstanceOf(w.ConnectionResetError);
      expect(e.errno).toBe(os.errno.ECONNRESET);
      await done;
      expect(a._io_refs).toBe(0);
      a.close();
    });

    it(`writing to a reset peer is the Writable's error: a ConnectionError (${mode})`, async () => {
      const [a, c] = tcpPair();
      if (mode === 'non-blocking') a.setblocking(false);
      reset(c);
      const ws = w.toWritable(a.makefile('wb'));
      const err = errorOf(ws), done = closed(ws);
      const write = () => { if (ws.write(block(0))) setImmediate(write); };
      write();
      const e = await err as w.OSError;
      expect(e).toBeInstanceOf(w.ConnectionError);
      expect([os.errno.ECONNRESET, os.errno.EPIPE]).toContain(e.errno);
      await done;
      expect(a._io_refs).toBe(0);
      a.close();
    });
  }

  it("a closed file: the stream errors with the file's own ValueError", async () => {
    const [a, b] = w.socketpair();
    const rf = a.makefile('rb');
    rf.close();
    const rs = w.toReadable(rf);
    const rerr = errorOf(rs);
    rs.resume();
    const re = await rerr;
    const direct = thrown(() => rf.read1(1));
    expect(re).toBeInstanceOf(w.ValueError);
    expect(re.message).toBe(direct.message);

    const wf = a.makefile('wb');
    wf.close();
    const ws = w.toWritable(wf);
    const werr = errorOf(ws);
    ws.write(Buffer.from('x'));
    const we = await werr;
    expect(we).toBeInstanceOf(w.ValueError);
    expect(we.message).toBe(thrown(() => wf.write(Buffer.from('x'))).message);
    a.close(); b.close();
  });

  it('a timeout is the Readable\'s error (TimeoutError), and the socket keeps every byte', async () => {
    const [a, b] = w.socketpair();
    a.settimeout(0.05);
    const rs = w.toReadable(a.makefile('rb'));
    const err = errorOf(rs);
    rs.resume();
    const e = await err;
    expect(e).toBeInstanceOf(w.TimeoutError);
    expect(e.message).toBe('timed out');
    b.sendall(new Uint8Array([7, 8]));
    expect(Array.from(a.recv(10))).toEqual([7, 8]);
    a.close(); b.close();
  });

  it('the wrong direction or a non-file throws at once', () => {
    const [a, b] = w.socketpair();
    const wf = a.makefile('wb'), rf = a.makefile('r');
    expect(() => w.toReadable(wf)).toThrow(w.io.UnsupportedOperation);
    expect(() => w.toReadable(wf)).toThrow('File or stream is not readable.');
    expect(() => w.toWritable(rf)).toThrow('File or stream is not writable.');
    expect(() => w.toReadable({} as never)).toThrow(TypeError);
    expect(() => w.toReadable(rf, { maxPollDelay: 0 })).toThrow(RangeError);
    (wf as { close(): void }).close(); (rf as { close(): void }).close();
    expect(a._io_refs).toBe(0);
    a.close(); b.close();
  });
});

describe('streams: backpressure', () => {
  it('a Readable with highWaterMark 16 KiB and no consumer takes no more than that from the socket', async () => {
    const [a, c] = tcpPair();
    c.setblocking(false);
    let sent = 0;
    try { for (;;) sent += c.send(block(sent >> 16)); } catch (e) { expect(e).toBeInstanceOf(w.BlockingIOError); }
    expect(sent).toBeGreaterThan(16 * 16384);        // the kernel holds far more than the mark
    a.setblocking(false);
    const HWM = 16384;
    const r = w.toReadable(a.makefile('rb'), { highWaterMark: HWM });
    r.on('readable', () => {});                       // a listener that never reads
    await new Promise((res) => setTimeout(res, 100));
    expect(r.readableLength).toBeGreaterThan(0);
    expect(r.readableLength).toBeLessThanOrEqual(HWM + HWM);   // the mark plus one pull
    r.removeAllListeners('readable');
    c.shutdown(w.SHUT_WR);
    let got = 0;
    for await (const x of r) got += (x as Buffer).length;
    expect(got).toBe(sent);
    a.close(); c.close();
  });

  it("a Writable on a full non-blocking socket says write() false, holds the data, and emits 'drain' once the peer reads", async () => {
    const [a, c] = tcpPair();
    a.setblocking(false);
    const HWM = 65536;
    const ws = w.toWritable(a.makefile('wb'), { highWaterMark: HWM });
    // Write, waiting for 'drain' each time write() says false, until no 'drain' comes: full.
    let written = 0;
    for (;;) {
      const more = ws.write(block(written / 65536));
      written += 65536;
      if (more) continue;
      const drainedNow = await new Promise<boolean>((res) => {
        const t = setTimeout(() => { ws.off('drain', on); res(false); }, 100);
        const on = () => { clearTimeout(t); res(true); };
        ws.once('drain', on);
      });
      if (!drainedNow) break;
    }
    expect(written).toBeGreaterThan(2 * HWM);        // the kernel took some before it filled
    expect(ws.writableNeedDrain).toBe(true);
    expect(ws.writableLength).toBeGreaterThanOrEqual(HWM);
    await new Promise((res) => setTimeout(res, 50));
    expect(ws.writableNeedDrain).toBe(true);         // still full: nothing dropped, nothing drained
    let drained = false;
    ws.once('drain', () => { drained = true; });
    c.setblocking(false);
    let got = 0;
    const h = createHash('sha256');
    let finished: Promise<void> | null = null;
    let shut = false;
    // read on timers while the Writable pushes the rest; end() once it has drained ('drain'
    // is not emitted to a stream already ending), shutdown once it has finished
    for (;;) {
      try {
        const x = c.recv(1 << 20);
        if (x.length === 0) break;
        got += x.length; h.update(x);
      } catch (e) {
        if (!(e instanceof w.BlockingIOError)) throw e;
        await new Promise((res) => setTimeout(res, 1));
      }
      if (drained && finished === null) finished = new Promise<void>((res) => ws.end(res));
      if (ws.writableFinished && !shut) { a.shutdown(w.SHUT_WR); shut = true; }
    }
    await finished;
    expect(drained).toBe(true);
    expect(got).toBe(written);
    expect(h.digest('hex')).toBe(expectedHash(written / 65536));
    a.close(); c.close();
  });
});

describe('streams: closing and fds', () => {
  it('destroying the stream closes the file object; the socket stays open and usable', async () => {
    const [a, b] = w.socketpair();
    const f = a.makefile('rb');
    const r = w.toReadable(f);
    expect(a._io_refs).toBe(1);
    r.destroy();
    await closed(r);
    expect(f.closed).toBe(true);
    expect(a._io_refs).toBe(0);
    a.sendall(new Uint8Array([1]));
    expect(Array.from(b.recv(1))).toEqual([1]);
    a.close(); b.close();
  });

  it('socket.close() with a stream open defers the real close; destroying the stream then closes the fd', async () => {
    const [a, b] = w.socketpair();
    a.setblocking(false);                            // the Readable waits for more without blocking
    const before = fdCount();
    const f = a.makefile('rb');
    const r = w.toReadable(f);
    const fd = f.fileno();
    a.close();
    expect(fdCount()).toBe(before);                  // the file still holds the fd
    expect(f.fileno()).toBe(fd);
    b.sendall(new TextEncoder().encode('still here'));
    const first = await new Promise<Buffer>((res) => r.once('data', res));
    expect(first.toString()).toBe('still here');
    r.destroy();
    await closed(r);
    expect(fdCount()).toBe(before - 1);             // the last reference gone: the real close
    b.close();
  });

  it('a Readable that reaches EOF and a Writable that finishes close their files (autoDestroy)', async () => {
    const [a, b] = w.socketpair();
    const rf = a.makefile('rb'), wf = b.makefile('wb');
    const r = w.toReadable(rf), ws = w.toWritable(wf);
    ws.end(Buffer.from('bye'));                       // held in the BufferedWriter until end() flushes
    await closed(ws);
    expect(wf.closed).toBe(true);
    b.shutdown(w.SHUT_WR);
    const rClosed = closed(r);
    const got = await hashOf(r);
    expect(got.n).toBe(3);
    await rClosed;
    expect(rf.closed).toBe(true);
    expect(a._io_refs + b._io_refs).toBe(0);
    a.close(); b.close();
  });

  it('autoClose false: the stream ends and the file stays open', async () => {
    const [a, b] = w.socketpair();
    const wf = a.makefile('wb');
    const ws = w.toWritable(wf, { autoClose: false });
    ws.end(Buffer.from('x'));
    await closed(ws);
    expect(wf.closed).toBe(false);
    expect(Array.from(b.recv(1))).toEqual([0x78]);    // end() flushed
    wf.write(Buffer.from('y')); wf.flush();
    expect(Array.from(b.recv(1))).toEqual([0x79]);
    wf.close();
    a.close(); b.close();
  });

  it('1,000 adapter cycles (read to EOF, write and finish, destroy early, error on a closed file) leave /proc/self/fd unchanged', async () => {
    const before = fdCount();
    for (let i = 0; i < 1000; i++) {
      const [a, b] = w.socketpair();
      if (i % 2) { a.setblocking(false); b.setblocking(false); }
      switch (i % 4 >> 1) {
        case 0: {
          const ws = w.toWritable(b.makefile(i % 8 < 4 ? 'wb' : 'w'));
          const r = w.toReadable(a.makefile(i % 8 < 4 ? 'rb' : 'r'));
          ws.end(i % 8 < 4 ? Buffer.from('data') : 'data');
          await closed(ws);
          b.shutdown(w.SHUT_WR);
          let n = 0;
          for await (const x of r) n += x.length;
          expect(n).toBe(4);
          break;
        }
        default: {
          const r = w.toReadable(a.makefile('rb'));
          const ws = w.toWritable(b.makefile('wb'));
          const f = a.makefile('rb');
          f.close();
          const bad = w.toReadable(f);
          bad.on('error', () => {});
          bad.resume();
          r.destroy(); ws.destroy();
          await Promise.all([closed(r), closed(ws), closed(bad)]);
        }
      }
      expect(a._io_refs + b._io_refs).toBe(0);
      a.close(); b.close();
    }
    expect(fdCount()).toBe(before);
  }, 60_000);
});
