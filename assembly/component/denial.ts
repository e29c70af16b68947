// A policy denial's message, from the request the core left in its policy area (POL_REQ):
// "<subject> denied by policy: <reason>", worded as src/policy.ts words it for wasock's own
// API (test/component.test.ts compares the two on the same policy).

import { POL_REQ } from "../policy";
import {
  Q_USE, Q_API, Q_FAMILY, Q_TYPE, Q_PROTO, Q_PORT, Q_LEVEL, Q_OPTION, Q_VKIND, Q_VALUE, Q_VLEN,
  Q_REASON, Q_IMPLICIT, Q_TEXTLEN, Q_MIN, Q_MAX, Q_TEXT, PU_SOCKET, PU_SETSOCKOPT,
  PR_PROTOCOL, PR_NO_RULE, PR_OPTION, PR_BOUNDS, PR_CHECK,
} from "../generated/contract";
import { POLICY_USES, POLICY_APIS, LEVEL_NUMBERS, LEVEL_NAMES } from "./generated/errors";
import { opt_find, opt_name } from "../options";
import { put, putBytes, putInt, putNumber } from "./errors";

@inline function q(off: usize): i32 { return load<i32>(POL_REQ + off); }

// src/policy.ts's names for the numbers a socket() denial quotes.
function putFamily(f: i32): void {
  if (f == 1) put("AF_UNIX"); else if (f == 2) put("AF_INET"); else if (f == 10) put("AF_INET6"); else putInt(f);
}
function putType(t: i32): void {
  if (t == 1) put("SOCK_STREAM"); else if (t == 2) put("SOCK_DGRAM"); else if (t == 3) put("SOCK_RAW");
  else if (t == 5) put("SOCK_SEQPACKET"); else putInt(t);
}
/** 'tcp', 'udp', 'unix', or "" for another kind of socket (src/policy.ts protocolOf). */
function protocolOf(family: i32, type: i32, proto: i32): string {
  if (family == 1) return "unix";
  if (family != 2 && family != 10) return "";
  if (type == 1 && (proto == 0 || proto == 6)) return "tcp";
  if (type == 2 && (proto == 0 || proto == 17)) return "udp";
  return "";
}
function preposition(use: string): string {
  if (use == "bind" || use == "connect" || use == "send") return "to";
  if (use == "listen") return "on";
  return "from";   // accept, receive
}
/** A Python-like repr of a unix path: single quotes, \\ and ' escaped, control characters as \xNN. */
function putRepr(p: usize, n: i32): void {
  put("'");
  for (let i = 0; i < n; i++) {
    const c = <i32>load<u8>(p + i);
    if (c == 0x5c || c == 0x27) { put("\\"); putBytes(p + i, 1); }
    else if (c < 0x20 || c == 0x7f) { put("\\x"); const d = "0123456789abcdef"; put(d.charAt(c >> 4)); put(d.charAt(c & 15)); }
    else putBytes(p + i, 1);
  }
  put("'");
}

/** The int a bounded option was given (the int form, or 4 bytes read as a C int); false when none. */
let boundValue: i32 = 0;
function intValue(): bool {
  const kind = q(Q_VKIND);
  if (kind == 1) { boundValue = q(Q_VALUE); return true; }
  if (kind == 2 && q(Q_VLEN) == 4) { boundValue = load<i32>(<usize>q(Q_VALUE)); return true; }
  return false;
}

function subject(use: string): void {
  const api = POLICY_APIS[q(Q_API)];
  if (q(Q_USE) == PU_SOCKET) {
    put(api); put("("); putFamily(q(Q_FAMILY)); put(", "); putType(q(Q_TYPE));
    if (q(Q_PROTO) != 0) { put(", "); putInt(q(Q_PROTO)); }
    put(")");
    return;
  }
  if (q(Q_USE) == PU_SETSOCKOPT) {
    const level = q(Q_LEVEL), option = q(Q_OPTION);
    put("setsockopt(");
    let named = false;
    for (let i = 0; i < LEVEL_NUMBERS.length; i++) if (LEVEL_NUMBERS[i] == level) { put(LEVEL_NAMES[i]); named = true; break; }
    if (!named) putInt(level);
    put(", ");
    const row = opt_find(level, option);
    if (row >= 0) put(changetype<string>(opt_name(row))); else putInt(option);
    put(", ");
    const kind = q(Q_VKIND);
    if (kind == 1) putInt(q(Q_VALUE));
    else if (kind == 2) { put("<"); putInt(q(Q_VLEN)); put(" bytes>"); }
    else put("None");
    put(")");
    return;
  }
  if (q(Q_IMPLICIT) == 1) { put(api); put("(): implicit "); }
  put(use); put(" "); put(preposition(use)); put(" ");
  const n = q(Q_TEXTLEN);
  if (n < 0) put("an unknown address");
  else if (q(Q_FAMILY) == 1) { if (n == 0) put("an unnamed unix socket"); else putRepr(POL_REQ + Q_TEXT, n); }
  else { putBytes(POL_REQ + Q_TEXT, n); put(" port "); putInt(q(Q_PORT)); }
}

function reason(use: string): void {
  switch (q(Q_REASON)) {
    case PR_PROTOCOL: {
      const p = protocolOf(q(Q_FAMILY), q(Q_TYPE), q(Q_PROTO));
      if (p.length > 0) { put(p); put(" sockets are not allowed"); } else put("only tcp, udp and unix sockets can be allowed");
      return;
    }
    case PR_NO_RULE: put("no rule allows "); put(use); put(" "); put(preposition(use)); put(" this address"); return;
    case PR_OPTION: put("no rule allows this option"); return;
    case PR_BOUNDS: {
      const min = load<f64>(POL_REQ + Q_MIN), max = load<f64>(POL_REQ + Q_MAX);
      if (intValue()) { put("value "); putInt(boundValue); put(" is outside ["); }
      else put("the option takes an int within [");
      putNumber(min); put(", "); putNumber(max); put("]");
      return;
    }
    case PR_CHECK: put("refused by the check callback"); return;
  }
  put("denied");
}

/** Appends "<subject> denied by policy: <reason>". */
export function policyDenial(): void {
  const use = POLICY_USES[q(Q_USE)];
  subject(use);
  put(" denied by policy: ");
  reason(use);
}
