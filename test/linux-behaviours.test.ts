// Linux behaviours, each pinned by a scenario (test/scenarios/) that runs on `linux` and on
// every other network of test/helpers/networks.ts: the transcripts must be equal line by
// line. Each scenario also runs twice on linux and must agree with itself (the Env's
// normalisation is enough, and the scenario does not race the kernel), must close every
// socket it opened (fds counted in /proc/self/fd), and matches the Linux transcript kept in
// test/scenarios/transcripts/ (what Linux did, for review; `vitest -u` rewrites them).
import { describe, expect, it } from 'vitest';
import { NETWORKS } from './helpers/networks.js';
import { fdCount } from './helpers/fds.js';
import { SCENARIOS, type Scenario } from './scenarios/index.js';
import { makeEnv } from './scenarios/transcript.js';

/** One run on a fresh network and Env; the scenario must leave no fd open. */
function run(scenario: Scenario, network: string): string[] {
  const net = NETWORKS[network]();
  const env = makeEnv();
  const before = fdCount();
  try {
    const lines = scenario(net, env);
    expect(fdCount(), `${network}: sockets left open`).toBe(before);
    return lines;
  } finally {
    env.dispose();
  }
}

const slug = (name: string): string => name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();

describe.each(Object.entries(SCENARIOS))('%s', (name, scenario) => {
  let linux: string[] | undefined;
  const reference = (): string[] => (linux ??= run(scenario, 'linux'));

  it('linux: two runs agree, and the transcript is the one kept', async () => {
    const first = reference();
    expect(run(scenario, 'linux')).toEqual(first);
    await expect(first.join('\n') + '\n').toMatchFileSnapshot(`scenarios/transcripts/${slug(name)}.txt`);
  });

  for (const other of Object.keys(NETWORKS).filter((n) => n !== 'linux')) {
    it(`${other} agrees with linux`, () => {
      expect(run(scenario, other)).toEqual(reference());
    });
  }
});
