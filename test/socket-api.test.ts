// Replays test/fixtures/socket-api.json (scripts/gen_socket_api.py): CPython 3.11's results
// for the socket object's methods other than getsockopt/setsockopt, the constructor and the
// module functions socketpair, fromfd, create_server and create_connection, on the live
// kernel over loopback and unix sockets. Cases without a JS twin are skipped with the reason.
import { describe, it } from 'vitest';
import { loadFixture } from './helpers/replay.js';
import { runApiCase, skipReason, type ApiCase } from './helpers/api-replay.js';
import { replayIt } from './helpers/hosts.js';

const cases = loadFixture('socket-api.json').cases as unknown as ApiCase[];

describe('socket API matches CPython 3.11', () => {
  for (const c of cases) {
    const why = skipReason(c);
    if (why) it.skip(`${c.id} (skipped: ${why})`, () => {});
    else replayIt(c.id, () => runApiCase(c));
  }
});
