// Every scenario, by the name its tests carry. Add a scenario here and it runs on every
// network of test/helpers/networks.ts.
import type { Scenario } from './transcript.js';
import { tcpBacklog0, tcpBacklog1, tcpNonBlockingConnect } from './tcp-backlog.js';

export type { Scenario };

export const SCENARIOS: Record<string, Scenario> = {
  'tcp: listen(0) queue full': tcpBacklog0,
  'tcp: listen(1) queue full': tcpBacklog1,
  'tcp: non-blocking connect with room': tcpNonBlockingConnect,
};
