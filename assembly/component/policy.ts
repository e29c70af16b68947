// `wasock:core/policy` (wit/core.wit): the sandbox policy of wasock's own API (`policy()`,
// src/policy.ts) installed into the component's core, whole and at once: the protocols, the
// address rules and the option rules, each validated with the message src/policy.ts gives
// before anything is installed. The core checks it before every host call, as it does for
// wasock's own networks; check callbacks and audit hooks (the raw core's policy.decide
// import) are not offered: a component's host is itself the embedder's code and sees every
// call it is asked to make.

import { SCR_STR, SCR_STR_SIZE } from "../layout";
import { pol_install, pol_parse, pol_rule, pol_option } from "../policy";
import { CABI_free } from "./memory";
import { RES, begin, put, putJson, putInt, putNumber, fail } from "./errors";
import { ERR_BASE, E_POLICY_ADDRESS } from "../generated/contract";

// list<address-rule>: { uses: flags (u8) @0, address: string @4 (ptr, len), ports:
// option<tuple<u16, u16>> @12 (discriminant), lo @14, hi @16 }, 20 bytes.
const AR_SIZE: usize = 20;
// list<option-rule>: { level @0, optname @4, bounds: option<tuple<f64, f64>> @8
// (discriminant), min @16, max @24 }, 32 bytes.
const OR_SIZE: usize = 32;

function valueError(): usize { return fail(-(ERR_BASE + E_POLICY_ADDRESS), 0, "ValueError"); }

/** The first rule that src/policy.ts would refuse, as its ValueError; 0 when all are valid. */
function validate(rules: usize, nRules: i32, opts: usize, nOpts: i32): usize {
  for (let i = 0; i < nRules; i++) {
    const r = rules + <usize>i * AR_SIZE;
    const p = load<usize>(r + 4), n = load<i32>(r + 8);
    if (load<u8>(r) == 0) { begin(); put("policy allow() needs at least one use"); return valueError(); }
    const kind = n <= SCR_STR_SIZE ? (memory.copy(SCR_STR, p, n), pol_parse(n)) : -1;
    if (kind < 0) {
      begin(); put("invalid policy address "); putJson(p, n);
      put(": expected a CIDR, an IP, a unix path ('/...') or an abstract name ('\\0...')");
      return valueError();
    }
    if (load<u8>(r + 12) != 0) {
      const lo = <i32>load<u16>(r + 14), hi = <i32>load<u16>(r + 16);
      if (kind >= 2) { begin(); put("a unix address takes no ports: "); putJson(p, n); return valueError(); }
      if (lo > hi) {
        begin(); put("policy ports must be a port or a [lo, hi] range within 0-65535, not [");
        putInt(lo); put(","); putInt(hi); put("]");
        return valueError();
      }
    }
  }
  for (let i = 0; i < nOpts; i++) {
    const o = opts + <usize>i * OR_SIZE;
    if (load<u8>(o + 8) == 0) continue;
    const min = load<f64>(o + 16), max = load<f64>(o + 24);
    if (isNaN(min) || isNaN(max) || min > max) {
      // JSON.stringify({ min, max }): a non-finite number is null there.
      begin(); put("policy option bounds must be numbers with min <= max, not {\"min\":");
      if (isFinite(min)) putNumber(min); else put("null");
      put(",\"max\":");
      if (isFinite(max)) putNumber(max); else put("null");
      put("}");
      return valueError();
    }
  }
  return 0;
}

/** install(protocols, rules, options): replaces any policy; everything else is denied. */
export function installPolicy(protocols: i32, rules: usize, nRules: i32, opts: usize, nOpts: i32): usize {
  let res = validate(rules, nRules, opts, nOpts);
  if (res == 0) {
    pol_install(protocols & 7, 0);
    for (let i = 0; i < nRules; i++) {
      const r = rules + <usize>i * AR_SIZE;
      const p = load<usize>(r + 4), n = load<i32>(r + 8);
      const some = load<u8>(r + 12) != 0;
      memory.copy(SCR_STR, p, n);
      pol_rule(<i32>load<u8>(r) & 63, n, some ? <i32>load<u16>(r + 14) : 0, some ? <i32>load<u16>(r + 16) : 65535);
    }
    for (let i = 0; i < nOpts; i++) {
      const o = opts + <usize>i * OR_SIZE;
      const bounded = load<u8>(o + 8) != 0;
      pol_option(load<i32>(o), load<i32>(o + 4), bounded ? 1 : 0,
        bounded ? load<f64>(o + 16) : -Infinity, bounded ? load<f64>(o + 24) : Infinity);
    }
    store<u8>(RES, 0);
    res = RES;
  }
  // The arguments are the callee's: every address string, then both lists.
  for (let i = 0; i < nRules; i++) CABI_free(load<usize>(rules + <usize>i * AR_SIZE + 4));
  CABI_free(rules);
  CABI_free(opts);
  return res;
}
