// The main job, end to end: `wasock probe` (the built bin) opens real sockets and prints
// every readable option of the table, as a table or as JSON.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { optionTable } from '../src/options.js';

const bin = new URL('../dist/src/cli.js', import.meta.url).pathname;
const probe = (...args: string[]) => execFileSync('node', [bin, 'probe', ...args], { encoding: 'utf8' });
type Row = { level: string; name: string; int: number | null; bytes: string | null; error: string | null; errno: number | null };
const json = (...args: string[]) => JSON.parse(probe('--json', ...args)) as { socket: Record<string, unknown>; options: Row[] };
const byName = (rows: Row[]) => new Map(rows.map((r) => [`${r.level}/${r.name}`, r]));

describe('wasock probe', () => {
  it('--json reads every readable row of the option table, each a value or the kernel error', () => {
    const out = json('--family', 'inet', '--type', 'stream', '--state', 'connected');
    const readable = optionTable().filter((r) => r.get);
    expect(out.options.map((o) => `${o.level}/${o.name}`)).toEqual(readable.map((r) => `${r.levelName}/${r.name}`));
    for (const o of out.options) expect((o.int !== null) !== (o.bytes !== null) || o.error !== null, o.name).toBe(true);
    const m = byName(out.options);
    expect(m.get('SOL_SOCKET/SO_TYPE')!.int).toBe(1);
    expect(m.get('SOL_SOCKET/SO_DOMAIN')!.int).toBe(2);
    expect(m.get('IPPROTO_TCP/TCP_INFO')!.bytes!.slice(0, 2)).toBe('01');    // TCP_ESTABLISHED
    expect(m.get('IPPROTO_IPV6/IPV6_V6ONLY')!.errno).toBe(95);            // not an IPv6 socket
  });

  it('states and families: a listening socket reports SO_ACCEPTCONN 1; unix dgram reports SO_TYPE 2', () => {
    expect(byName(json('--state', 'listening').options).get('SOL_SOCKET/SO_ACCEPTCONN')!.int).toBe(1);
    const u = byName(json('--family', 'unix', '--type', 'dgram').options);
    expect(u.get('SOL_SOCKET/SO_TYPE')!.int).toBe(2);
    expect(u.get('SOL_SOCKET/SO_DOMAIN')!.int).toBe(1);
    const six = byName(json('--family', 'inet6', '--state', 'connected').options);
    expect(six.get('IPPROTO_IPV6/IPV6_V6ONLY')!.int).toBe(0);
  });

  it('prints a readable table by default, and rejects unknown arguments with exit status 2', () => {
    const text = probe('--type', 'dgram');
    expect(text).toMatch(/^wasock probe: inet dgram fresh socket/);
    expect(text).toMatch(/SOL_SOCKET\s+SO_TYPE\s+2\n/);
    const bad = spawnSync('node', [bin, 'probe', '--family', 'ipx'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown family ipx/);
  });
});
