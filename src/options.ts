// The socket-option table, read once from the core (assembly/generated/options.ts, written
// by scripts/optiontable.py). It drives the probe command and the option tests.
import { core } from './core.js';

export type OptionKind = 'int' | 'bool' | 'struct' | 'string' | 'bytes';
const KINDS: OptionKind[] = ['int', 'bool', 'struct', 'string', 'bytes'];
const LEVEL_NAMES: Record<number, string> = {
  1: 'SOL_SOCKET', 6: 'IPPROTO_TCP', 0: 'IPPROTO_IP', 41: 'IPPROTO_IPV6', 17: 'IPPROTO_UDP',
};

export interface OptionRow {
  name: string;
  aliases: string[];
  level: number;
  levelName: string;
  value: number;
  kind: OptionKind;
  /** The natural buffer size in bytes (4 for ints). */
  size: number;
  /** Python struct format for struct-valued options, else ''. */
  format: string;
  /** Name of the typed decoder for the value, else ''. */
  decoder: string;
  get: boolean;
  set: boolean;
  /** Exported by CPython 3.11's socket module (else a Linux option Python lacks). */
  python: boolean;
  privileged: boolean;
  /** Has a set-then-get round-trip case in test/fixtures/sockopt-roundtrip.json. */
  roundtrip: boolean;
  families: { inet: boolean; inet6: boolean; unix: boolean; stream: boolean; dgram: boolean };
}

let rows: OptionRow[] | null = null;

export function optionTable(): readonly OptionRow[] {
  if (rows) return rows;
  const c = core(), x = c.x;
  const list: OptionRow[] = [];
  for (let i = 0, n = x.opt_count(); i < n; i++) {
    const flags = x.opt_flags(i), fam = x.opt_families(i), level = x.opt_level(i);
    list.push({
      name: c.str(x.opt_name(i)), aliases: [], level, levelName: LEVEL_NAMES[level] ?? String(level),
      value: x.opt_value(i), kind: KINDS[x.opt_kind(i)], size: x.opt_size(i),
      format: c.str(x.opt_format(i)), decoder: c.str(x.opt_decoder(i)),
      get: (flags & 1) !== 0, set: (flags & 2) !== 0, python: (flags & 4) !== 0,
      privileged: (flags & 8) !== 0, roundtrip: (flags & 16) !== 0,
      families: { inet: (fam & 1) !== 0, inet6: (fam & 2) !== 0, unix: (fam & 4) !== 0, stream: (fam & 8) !== 0, dgram: (fam & 16) !== 0 },
    });
  }
  for (let i = 0, n = x.opt_alias_count(); i < n; i++) list[x.opt_alias_row(i)].aliases.push(c.str(x.opt_alias_name(i)));
  return (rows = list);
}

/** The row for (level, optname), or undefined. */
export function findOption(level: number, optname: number): OptionRow | undefined {
  const i = core().x.opt_find(level, optname);
  return i < 0 ? undefined : optionTable()[i];
}
