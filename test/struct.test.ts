// Replays test/fixtures/struct-cases.json (scripts/gen_struct.py): CPython 3.11's answers for
// every `struct` function and Struct method, with zero tolerance: ints by value and JS type
// (bigint exactly where CPython's code is q Q n N P or native l L), floats by their IEEE-754
// bits (NaN payloads and -0.0 included), exception class and str(e) word for word, and the
// bytes pack_into leaves in the caller's buffer (also after a failure: CPython writes item by
// item into the zeroed target range).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { struct } from '../src/index.js';
import { check, type Case, type Fixture } from './helpers/struct-replay.js';

const fixture: Fixture = JSON.parse(readFileSync(new URL('./fixtures/struct-cases.json', import.meta.url), 'utf8'));

// One test per (call, group of the generator), each reporting every differing case.
const groups = new Map<string, Case[]>();
for (const c of fixture.cases) {
  const key = `${c.call} / ${c.id.split('/')[1]}`;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key)!.push(c);
}

describe('struct fixture', () => {
  it('is CPython 3.11 output, complete and with unique ids', () => {
    expect(fixture.python.startsWith('3.11.')).toBe(true);
    expect(fixture.cases.length).toBe(fixture.counts.cases);
    expect(new Set(fixture.cases.map((c) => c.id)).size).toBe(fixture.cases.length);
    const calls = new Set(fixture.cases.map((c) => c.call));
    for (const call of ['pack', 'unpack', 'calcsize', 'pack_into', 'unpack_from', 'iter_unpack', 'Struct',
      'Struct.pack', 'Struct.unpack', 'Struct.pack_into', 'Struct.unpack_from', 'Struct.iter_unpack']) {
      expect(calls.has(call), call).toBe(true);
    }
  });
});

describe('struct matches CPython 3.11 (scripts/gen_struct.py)', () => {
  for (const [key, cases] of groups) {
    it(`${key}: ${cases.length} cases`, () => {
      const failures: string[] = [];
      for (const c of cases) failures.push(...check(c));
      const shown = failures.slice(0, 30);
      if (failures.length > shown.length) shown.push(`... and ${failures.length - shown.length} more`);
      expect(shown).toEqual([]);
    });
  }
});
