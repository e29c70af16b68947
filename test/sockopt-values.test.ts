// Replays test/fixtures/sockopt-values.json (scripts/gen_sockopt_values.py): CPython 3.11's
// getsockopt results, in int mode and buffer mode, for every readable option-table row on
// fresh, listening, connected and accepted sockets of each family and type.
import { describe } from 'vitest';
import { loadFixture, runCase } from './helpers/replay.js';
import { replayOptionIt } from './helpers/hosts.js';

const fixture = loadFixture('sockopt-values.json');

describe('getsockopt values match CPython 3.11 on the live kernel', () => {
  for (const c of fixture.cases) replayOptionIt(c, () => runCase(c));
});
