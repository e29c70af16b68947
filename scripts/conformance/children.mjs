// The children that run the tests (scripts/conformance/run.mjs): each reports on its fd 3 as
// runner.py does; a test that outlives its limit, or a child that dies, costs that test an
// error and a fresh child carries on after it, so no hang or crash stops the run.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

/**
 * Runs `ids` through children made by `start(rest, log)`, each reporting on its fd 3 (runner.py's
 * protocol); returns {results: Map id -> result, restarts}. A test past LIMIT, or a child that dies mid-test, gives that test an error
 * and a new child carries on with the tests after it.
 */
export async function runAll(ids, limits, start, log) {
  const LIMIT = limits.test, STARTUP_LIMIT = limits.startup;
  const results = new Map();
  let restarts = 0;
  while (true) {
    const rest = ids.filter((i) => !results.has(i));
    if (rest.length === 0) break;
    const child = start(rest, log);
    let current = null, timer = null, buf = '', done = false;
    const arm = (ms, why) => {
      clearTimeout(timer);
      timer = setTimeout(() => { if (!done) { child.kill('SIGKILL'); child.__why = why; } }, ms);
    };
    arm(STARTUP_LIMIT, 'startup');
    child.stdio[3].setEncoding('utf8');
    child.stdio[3].on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i); buf = buf.slice(i + 1);
        let m;
        try { m = JSON.parse(line); } catch { continue; }
        if (m.start !== undefined) { current = m.start; arm(LIMIT, 'hung'); continue; }
        results.set(m.id, m);
        if (m.id === current) current = null;
        arm(LIMIT, 'hung');   // a class fixture between tests is held to the same limit
      }
    });
    child.stdin.end(JSON.stringify(rest));
    const code = await new Promise((res) => child.on('close', (c, sig) => res(c ?? sig)));
    done = true;
    clearTimeout(timer);
    if (results.size === ids.length) break;
    // The child stopped before reporting everything: blame the test it was in (or, between
    // tests, the next one), so the next child starts after it.
    const blamed = current ?? ids.find((i) => !results.has(i));
    const why = child.__why === 'hung' ? `hung: no result within ${LIMIT} ms (killed)`
      : child.__why === 'startup' ? `hung before the first test (killed after ${STARTUP_LIMIT} ms)`
      : `the child exited (${code}) during this test`;
    results.set(blamed, { id: blamed, outcome: 'error', first: why, where: '', ms: child.__why === 'hung' ? LIMIT : 0, hung: child.__why === 'hung' });
    if (++restarts > 200) { for (const i of ids) if (!results.has(i)) results.set(i, { id: i, outcome: 'error', first: 'not run (too many restarts)', where: '', ms: 0 }); break; }
  }
  return { results, restarts };
}

export function spawnWith(cmd, args, cwd, env, log) {
  const fd = openSync(log, 'a');
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', fd, fd, 'pipe'] });
  closeSync(fd);
  return child;
}
