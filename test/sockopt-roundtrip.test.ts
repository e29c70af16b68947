// Set-then-get round trips for every option-table row the kernel lets a process set
// (test/fixtures/sockopt-roundtrip.json, from scripts/gen_sockopt_roundtrip.py), and the
// registry check: a settable row without a round-trip case fails this file.
import { describe, expect, it } from 'vitest';
import { loadFixture, runCase } from './helpers/replay.js';
import { optionTable } from '../src/options.js';
import { replayOptionIt } from './helpers/hosts.js';

const fixture = loadFixture('sockopt-roundtrip.json');
const LEVELS: Record<string, number> = { SOL_SOCKET: 1, IPPROTO_IP: 0, IPPROTO_TCP: 6, IPPROTO_UDP: 17, IPPROTO_IPV6: 41 };
/** Rows are named by (level, name): MCAST_* exist at both IPPROTO_IP and IPPROTO_IPV6. */
const key = (level: number, name: string) => `${level}/${name}`;
const noRoundtrip = new Map(
  (fixture.no_roundtrip as { row: string; level: string; why: string }[]).map((r) => [key(LEVELS[r.level], r.row), r.why]),
);
/** A case's row key: its name and the level its first step passes. */
const caseKey = (c: (typeof fixture.cases)[number]) => key(Number(c.steps[0].args[0].v), c.row!);

describe('setsockopt then getsockopt round-trips as in CPython 3.11', () => {
  for (const c of fixture.cases) replayOptionIt(c, () => runCase(c));
});

describe('option-table registry', () => {
  const covered = new Set(fixture.cases.map(caseKey));
  const rows = new Map(optionTable().map((r) => [key(r.level, r.name), r]));

  it('every settable row has a round-trip case, or a recorded reason the kernel refuses it', () => {
    const missing = optionTable()
      .filter((r) => r.set && !covered.has(key(r.level, r.name)) && !noRoundtrip.has(key(r.level, r.name)))
      .map((r) => `${r.levelName}/${r.name}`);
    expect(missing).toEqual([]);
  });

  it('every recorded reason names a settable row and says why', () => {
    for (const [k, why] of noRoundtrip) {
      expect(rows.get(k)?.set, k).toBe(true);
      expect(why.length, k).toBeGreaterThan(10);
    }
  });

  it("the table's round-trip flag agrees with the fixture", () => {
    for (const [k, r] of rows) expect(r.roundtrip, k).toBe(covered.has(k));
  });

  it('every round-trip case names a row of the table', () => {
    for (const c of fixture.cases) expect(rows.has(caseKey(c)), c.id).toBe(true);
  });
});
