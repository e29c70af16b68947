// The socket-option table, read once from the core (assembly/generated/options.ts, written
// by scripts/optiontable.py). It drives the probe command and the option tests.
import { core } from './core.js';
// Kinds, levels, flag and family bits of the table's columns: the contract (scripts/contract.py).
import {
  OPTION_KINDS as KINDS, LEVEL_NAMES, OPT_GET, OPT_SET, OPT_PYTHON, OPT_PRIVILEGED, OPT_ROUNDTRIP,
  FAM_INET, FAM_INET6, FAM_UNIX, FAM_STREAM, FAM_DGRAM, type OptionKind,
} from './generated/contract.js';

export type { OptionKind };

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
      get: (flags & OPT_GET) !== 0, set: (flags & OPT_SET) !== 0, python: (flags & OPT_PYTHON) !== 0,
      privileged: (flags & OPT_PRIVILEGED) !== 0, roundtrip: (flags & OPT_ROUNDTRIP) !== 0,
      families: { inet: (fam & FAM_INET) !== 0, inet6: (fam & FAM_INET6) !== 0, unix: (fam & FAM_UNIX) !== 0, stream: (fam & FAM_STREAM) !== 0, dgram: (fam & FAM_DGRAM) !== 0 },
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
