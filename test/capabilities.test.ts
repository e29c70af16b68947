// The capability model on a real host: a Linux host that lacks a capability makes the
// method raise NotAvailableError (naming the method, the host and the capability) before
// any syscall, and isAvailable() answers without trying.
import { afterEach, describe, expect, it } from 'vitest';
import * as w from '../src/index.js';

const all = w.CAPABILITIES.filter((c) => c !== 'ioctl.windows');
let restore: w.Host | null = null;
afterEach(() => { if (restore) w.useHost(restore); restore = null; });

function restricted(without: string[]): void {
  restore = w.useHost(new w.LinuxHost(all.filter((c) => !without.includes(c)), 'linux-restricted'));
}

describe('capabilities', () => {
  it('the Linux host has every capability but ioctl.windows', () => {
    const s = new w.socket();
    for (const c of all) expect(s.isAvailable(c), c).toBe(true);
    expect(s.isAvailable('ioctl.windows')).toBe(false);
    expect(s.isAvailable('getsockopt')).toBe(true);
    s.close();
  });

  it('getsockopt without the capability raises NotAvailableError naming method, host and capability', () => {
    restricted(['getsockopt']);
    const s = new w.socket();
    expect(s.isAvailable('getsockopt')).toBe(false);
    expect(s.isAvailable('setsockopt')).toBe(true);
    let err: unknown = null;
    try { s.getsockopt(w.SOL_SOCKET, w.SO_TYPE); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(w.NotAvailableError);
    expect(err).toBeInstanceOf(w.OSError);
    expect((err as w.NotAvailableError).message).toMatch(/^getsockopt is not available on linux-restricted/);
    expect((err as w.OSError).errno).toBeNull();
    expect(() => s.getsockopt(w.SOL_SOCKET, w.SO_TYPE, 4)).toThrow(w.NotAvailableError);
    s.setsockopt(w.SOL_SOCKET, w.SO_REUSEADDR, 1);        // other calls still work
    // The socket keeps its host after the default host changes back.
    w.useHost(restore!); restore = null;
    expect(() => s.getsockopt(w.SOL_SOCKET, w.SO_TYPE)).toThrow(/^getsockopt is not available on linux-restricted/);
    const t = new w.socket();
    expect(t.isAvailable('getsockopt')).toBe(true);
    t.close();
    s.close();
  });

  it('buflen range is checked before the capability, as CPython checks it before any syscall', () => {
    restricted(['getsockopt']);
    const s = new w.socket();
    expect(() => s.getsockopt(w.SOL_SOCKET, w.SO_TYPE, 2000)).toThrow('getsockopt buflen out of range');
    s.close();
  });

  it('a host without af_unix refuses AF_UNIX sockets, and without socket.create refuses all', () => {
    restricted(['af_unix']);
    expect(() => new w.socket(w.AF_UNIX, w.SOCK_STREAM)).toThrow(w.NotAvailableError);
    new w.socket(w.AF_INET, w.SOCK_STREAM).close();
    w.useHost(new w.LinuxHost(all.filter((c) => c !== 'socket.create'), 'no-sockets'));
    expect(() => new w.socket()).toThrow(/socket is not available on no-sockets/);
  });
});
