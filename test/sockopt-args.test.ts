// Replays test/fixtures/sockopt-args.json (scripts/gen_sockopt_args.py): CPython 3.11's
// answers to getsockopt/setsockopt argument errors and edge cases, on the live kernel.
import { describe, it } from 'vitest';
import { loadFixture, runCase } from './helpers/replay.js';
import { replayOptionIt } from './helpers/hosts.js';

const fixture = loadFixture('sockopt-args.json');

describe('getsockopt/setsockopt arguments match CPython 3.11', () => {
  for (const c of fixture.cases) replayOptionIt(c, () => runCase(c));
});
