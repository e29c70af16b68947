// The README's fenced code blocks, for the tests that run and type-check them.
import { readFileSync } from 'node:fs';

export interface CodeBlock {
  /** The fence's language tag ('' when it has none). */
  lang: string;
  code: string;
  /** The README line of the opening fence (1-based), for messages. */
  line: number;
}

export const readmeText = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

export function readmeBlocks(): CodeBlock[] {
  const out: CodeBlock[] = [];
  for (const m of readmeText.matchAll(/^```([^\n`]*)\n([\s\S]*?)^```$/gm)) {
    out.push({ lang: m[1].trim(), code: m[2], line: readmeText.slice(0, m.index).split('\n').length });
  }
  return out;
}
