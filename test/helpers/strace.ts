// Zero-syscall checks (policy denials): a Node script runs under strace and prints WASOCK-BEGIN
// and WASOCK-END around the calls that must reach no kernel, then makes one allowed connect to
// 127.0.0.1 port 1 as the control that the tracing sees socket calls at all.
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

const TRACED = 'trace=socket,bind,connect,listen,accept,accept4,sendto,recvfrom,setsockopt,getsockopt,write';
const SOCKET_CALL = /\b(socket|bind|connect|listen|accept4?|sendto|recvfrom|setsockopt|getsockopt)\(/;

/**
 * Runs `script` with node under `strace`; asserts that no socket call falls between the
 * markers and that the control connect after them is seen. Returns the script's stdout.
 */
export function expectNoSocketCallsBetweenMarkers(strace: string, script: string): string {
  const r = spawnSync(strace, ['-f', '-e', TRACED, 'node', script], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const lines = r.stderr.split('\n');
  const begin = lines.findIndex((l) => l.includes('WASOCK-BEGIN'));
  const end = lines.findIndex((l) => l.includes('WASOCK-END'));
  expect(begin).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(begin);
  expect(lines.slice(begin + 1, end).filter((l) => SOCKET_CALL.test(l))).toEqual([]);
  // The control: the same tracing sees the allowed connect after the markers.
  expect(lines.slice(end).some((l) => /connect\(\d+, \{sa_family=AF_INET, sin_port=htons\(1\)/.test(l))).toBe(true);
  return r.stdout;
}
