import { it, expect } from 'vitest';
import { loadFixture } from './helpers/replay.js';
import { runApiCase, type ApiCase } from './helpers/api-replay.js';
const cases = loadFixture('socket-api.json').cases as unknown as ApiCase[];
it('mutations are detected', () => {
  let detected = 0, total = 0;
  for (const c0 of cases) {
    if (c0.python_only) continue;
    for (let i = 0; i < c0.steps.length; i++) {
      const c = JSON.parse(JSON.stringify(c0)) as ApiCase;
      const r = c.steps[i].result as any;
      if (r.ok?.t === 'int' && !c.steps[i].mask) r.ok.v = String(Number(r.ok.v) + 1);
      else if (r.ok?.t === 'bytes') r.ok.hex += '00';
      else if (r.ok?.t === 'str') r.ok.v += 'x';
      else if (r.ok?.t === 'tuple') r.ok.v.push({ t: 'none' });
      else if (r.ok?.t === 'socket') r.ok.proto += 1;
      else if (r.ok?.t === 'none') r.ok = { t: 'int', v: '0' };
      else if (r.raises) r.raises.message += '!';
      else continue;
      total++;
      try { runApiCase(c); } catch { detected++; continue; }
      console.log('NOT DETECTED', c.id, i);
    }
  }
  console.log(detected, total);
});
