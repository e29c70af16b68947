// The Linux host's name service (bindings/host.ts's name_* imports): glibc's own resolver —
// getaddrinfo, gethostbyname_r/gethostbyaddr_r, getservbyname/port, getprotobyname,
// if_nameindex — so /etc/hosts, /etc/nsswitch.conf, DNS, /etc/services and /etc/protocols
// answer as they answer CPython. Strings go in as C strings the core wrote into its memory
// (NUL-terminated); structs come back through memmove into a scratch area of the host's own
// (off the V8 heap: its address never moves), read with a DataView.
import type { Libc } from './libc.js';
import { baseAddress } from './libc.js';
import type { HostImports } from '../types.js';

type NameImports = Required<Pick<HostImports, 'name_addrinfo' | 'name_hostent' | 'name_servbyname' | 'name_servbyport' | 'name_protobyname' | 'name_interfaces'>>;

const SOCK_STREAM = 1, AF_INET = 2, AF_INET6 = 10;
const EAI_SYSTEM = -11;
const ERANGE = 34, NETDB_INTERNAL = -1, NO_RECOVERY = 3;
/** gethostby*_r's buffer: grown on ERANGE up to this, as glibc's own callers do. */
const HOSTENT_MAX = 1 << 20;

export function nameImports(libc: Libc, base: number): NameImports {
  // Scratch: [0, 64) hints / hostent / result pointers, [64, ...) gethostby*_r's buffer and copies.
  let area = new ArrayBuffer(64 * 1024);
  let addr = baseAddress(area);
  let view = new DataView(area);
  const grow = (size: number): void => { area = new ArrayBuffer(size); addr = baseAddress(area); view = new DataView(area); };
  const num = (x: number | bigint): number => Number(x);
  /** Copies n bytes from a C address into the scratch at `off`; returns `off`. */
  const fetch = (ptr: number, n: number, off: number): number => { libc.copy(addr + off, ptr, n); return off; };
  const ptrAt = (off: number): number => num(view.getBigUint64(off, true));
  /** A C string at ptr into core memory at out (cap bytes, NUL-terminated); its length, or -1 when it does not fit. */
  const cstr = (ptr: number, out: number, cap: number): number => {
    const n = num(libc.strlen(ptr));
    if (n + 1 > cap) return -1;
    libc.copy(base + out, ptr, n + 1);
    return n;
  };
  /** A proto argument: a C string in core memory, or NULL. */
  const proto = (p: number): number => (p === 0 ? 0 : base + p);
  /**
   * The hostent at scratch 0 (32 bytes: h_name, h_aliases, h_addrtype, h_length, h_addr_list)
   * into core memory at out, in the layout bindings/host.ts gives.
   */
  const hostent = (out: number, cap: number): number => {
    const name = ptrAt(0), aliases = ptrAt(8), family = view.getInt32(16, true), size = view.getInt32(20, true), list = ptrAt(24);
    const addrs: number[] = [], names: number[] = [name];
    for (let i = 0; ; i++) { fetch(list + 8 * i, 8, 32); const a = ptrAt(32); if (a === 0) break; addrs.push(a); }
    for (let i = 0; ; i++) { fetch(aliases + 8 * i, 8, 32); const a = ptrAt(32); if (a === 0) break; names.push(a); }
    let p = out + 12, end = out + cap, kept = 0;
    for (const a of addrs) { if (p + size > end) break; libc.copy(base + p, a, size); p += size; kept++; }
    let nn = 0;
    for (const s of names) { const k = cstr(s, p, end - p); if (k < 0) break; p += k + 1; nn++; }
    const dv = new DataView(new ArrayBuffer(12));
    dv.setInt32(0, family, true); dv.setInt32(4, kept, true); dv.setInt32(8, nn, true);
    libc.copy(base + out, baseAddress(dv.buffer as ArrayBuffer), 12);
    return p - out;
  };
  /** gethostby{name,addr}_r with a growing buffer; 0 or -h_errno. */
  const lookupHostent = (call: (buf: number, len: number, result: number, herr: number) => number): number => {
    for (let size = 64 * 1024; ; size *= 2) {
      if (area.byteLength < size) grow(size);
      // hostent at 0 (32 bytes), result pointer at 32, h_errno at 40, the buffer from 64
      const r = call(addr + 64, size - 64, addr + 32, addr + 40);
      const herr = view.getInt32(40, true);
      if (r === ERANGE && herr === NETDB_INTERNAL && size < HOSTENT_MAX) continue;
      if (r !== 0 || ptrAt(32) === 0) return -(herr > 0 ? herr : NO_RECOVERY);
      return 0;
    }
  };
  return {
    name_addrinfo: (name, _len, family, flags, out, cap) => {
      // hints: ai_flags, ai_family, ai_socktype = SOCK_STREAM (one answer per address)
      new Uint8Array(area, 0, 48).fill(0);
      view.setInt32(0, flags, true); view.setInt32(4, family, true); view.setInt32(8, SOCK_STREAM, true);
      const r = libc.getaddrinfo(base + name, 0, addr, addr + 48);
      if (r !== 0) {
        if (r === EAI_SYSTEM) writeI32(libc, base + out, libc.errno());
        return r;
      }
      const head = ptrAt(48);
      try {
        let n = 0, canon = 0;
        const rec = new DataView(new ArrayBuffer(20));
        const recAddr = baseAddress(rec.buffer as ArrayBuffer);
        for (let ai = head; ai !== 0 && (n + 1) * 20 + 256 <= cap; ) {
          fetch(ai, 48, 64);
          const fam = view.getInt32(68, true), sa = ptrAt(64 + 24), cn = ptrAt(64 + 32), next = ptrAt(64 + 40);
          if (n === 0) canon = cn;
          new Uint8Array(rec.buffer).fill(0);
          rec.setInt32(0, fam, true);
          if (fam === AF_INET) libc.copy(recAddr + 4, sa + 4, 4);
          else if (fam === AF_INET6) libc.copy(recAddr + 4, sa + 8, 16);
          if (fam === AF_INET || fam === AF_INET6) { libc.copy(base + out + 20 * n, recAddr, 20); n++; }
          ai = next;
        }
        if (canon !== 0) cstr(canon, out + 20 * n, cap - 20 * n);
        else if (flags & 2 /* AI_CANONNAME */) writeI32(libc, base + out + 20 * n, 0);
        return n;
      } finally {
        libc.freeaddrinfo(head);
      }
    },
    name_hostent: (byAddr, key, len, family, out, cap) => {
      const r = byAddr
        ? lookupHostent((buf, size, res, herr) => libc.gethostbyaddr_r(base + key, len, family, addr, buf, size, res, herr))
        : lookupHostent((buf, size, res, herr) => libc.gethostbyname_r(base + key, addr, buf, size, res, herr));
      return r < 0 ? r : hostent(out, cap);
    },
    name_servbyname: (name, _len, p, _plen) => {
      const s = num(libc.getservbyname(base + name, proto(p)));
      if (s === 0) return -1;
      fetch(s + 16, 4, 0);
      const port = view.getUint32(0, true);
      return ((port & 0xff) << 8) | ((port >> 8) & 0xff);      // ntohs
    },
    name_servbyport: (port, p, _plen, out, cap) => {
      const s = num(libc.getservbyport(((port & 0xff) << 8) | ((port >> 8) & 0xff), proto(p)));
      if (s === 0) return -1;
      fetch(s, 8, 0);
      return cstr(ptrAt(0), out, cap);
    },
    name_protobyname: (name, _len) => {
      const pe = num(libc.getprotobyname(base + name));
      if (pe === 0) return -1;
      fetch(pe + 16, 4, 0);
      return view.getInt32(0, true);
    },
    name_interfaces: (out, cap) => {
      const list = num(libc.if_nameindex());
      if (list === 0) return -libc.errno();
      try {
        let n = 0, p = out;
        const idx = new DataView(new ArrayBuffer(4));
        const idxAddr = baseAddress(idx.buffer as ArrayBuffer);
        for (let i = 0; ; i++) {
          fetch(list + 16 * i, 16, 0);
          const index = view.getUint32(0, true);
          if (index === 0) break;
          if (p + 4 > out + cap) break;
          idx.setUint32(0, index, true);
          libc.copy(base + p, idxAddr, 4);
          const k = cstr(ptrAt(8), p + 4, out + cap - p - 4);
          if (k < 0) break;
          p += 4 + k + 1;
          n++;
        }
        return n;
      } finally {
        libc.if_freenameindex(list);
      }
    },
  };
}

function writeI32(libc: Libc, at: number, v: number): void {
  const b = new DataView(new ArrayBuffer(4));
  b.setInt32(0, v, true);
  libc.copy(at, baseAddress(b.buffer as ArrayBuffer), 4);
}
