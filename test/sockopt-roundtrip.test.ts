// Set-then-get round trips for every option-table row the kernel lets a process set
// (test/fixtures/sockopt-roundtrip.json, from scripts/gen_sockopt_roundtrip.py), and the
// registry check: a settable row without a round-trip case fails this file.
import { describe, expect, it } from 'vitest';
import { loadFixture, runCase } from './helpers/replay.js';
import { optionTable } from '../src/options.js';

const fixture = loadFixture('sockopt-roundtrip.json');
const noRoundtrip = (fixture.no_roundtrip ?? {}) as Record<string, string>;

describe('setsockopt then getsockopt round-trips as in CPython 3.11', () => {
  for (const c of fixture.cases) it(c.id, () => runCase(c));
});

describe('option-table registry', () => {
  const covered = new Set(fixture.cases.map((c) => c.row));

  it('every settable row has a round-trip case, or a recorded reason the kernel refuses it', () => {
    const missing = optionTable()
      .filter((r) => r.set && !covered.has(r.name) && !noRoundtrip[r.name])
      .map((r) => `${r.levelName}/${r.name}`);
    expect(missing).toEqual([]);
  });

  it('every recorded reason names a settable row and says why', () => {
    const names = new Map(optionTable().map((r) => [r.name, r]));
    for (const [name, why] of Object.entries(noRoundtrip)) {
      expect(names.get(name)?.set, name).toBe(true);
      expect(why.length, name).toBeGreaterThan(10);
    }
  });

  it("the table's round-trip flag agrees with the fixture", () => {
    for (const r of optionTable()) expect(r.roundtrip, r.name).toBe(covered.has(r.name));
  });

  it('every round-trip case names a row of the table', () => {
    const names = new Set(optionTable().map((r) => r.name));
    for (const c of fixture.cases) expect(names.has(c.row!), c.id).toBe(true);
  });
});
