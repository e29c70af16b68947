// The sandbox policy's JavaScript side (DESIGN.md, "Hosts, capability sets and policy").
// policy() builds a deny-by-default description with a fluent API; a network made with
// `{ policy }` loads it into its core (assembly/policy.ts), which checks every call before
// any host call. This file only describes, loads, words the decisions, and runs the check
// callbacks and audit hooks the core calls out to (the policy import, src/core.ts).
import { core, type Core } from './core.js';
import { PermissionError, ValueError } from './exceptions.js';
import { findOption } from './options.js';
import {
  LEVEL_NAMES, POLICY_USES, POLICY_APIS, PU_SOCKET, PU_SETSOCKOPT, PR_PROTOCOL, PR_NO_RULE, PR_OPTION,
  PR_BOUNDS, PR_CHECK, Q_USE, Q_API, Q_FAMILY, Q_TYPE, Q_PROTO, Q_PORT, Q_LEVEL, Q_OPTION, Q_VKIND,
  Q_VALUE, Q_VLEN, Q_REASON, Q_IMPLICIT, Q_TEXTLEN, Q_MIN, Q_MAX, Q_TEXT,
} from './generated/contract.js';

/** The uses an address rule can allow (wasmtime's socket_addr_check uses, without the protocol). */
export type PolicyUse = 'bind' | 'listen' | 'accept' | 'connect' | 'send' | 'receive';
const ADDRESS_USES: readonly PolicyUse[] = ['bind', 'listen', 'accept', 'connect', 'send', 'receive'];

/** What a decision is about: what a check callback is given. */
export interface PolicyRequest {
  /** An address use, 'socket' (the protocol at creation) or 'setsockopt' (the option policy). */
  use: (typeof POLICY_USES)[number];
  /** The Python call: 'connect', 'connect_ex', 'sendto', 'recvfrom', 'accept', 'socket', ... */
  api: (typeof POLICY_APIS)[number];
  /** The socket's (or the new socket's) family, type and proto. */
  family: number;
  type: number;
  proto: number;
  /** 'tcp', 'udp', 'unix', or null for any other kind of socket. */
  protocol: 'tcp' | 'udp' | 'unix' | null;
  /** The address used: an IP ('10.0.0.1', '::1'), a unix path or '\0'-prefixed abstract name; null for none. */
  address: string | null;
  /** The port (inet addresses), else null. */
  port: number | null;
  /** True for the bind that connect, sendto or listen on an unbound socket implies. */
  implicit: boolean;
  /** setsockopt's level, option and value (an int, the bytes, or null for the NULL form); else null. */
  level: number | null;
  option: number | null;
  value: number | Uint8Array | null;
}

/** What an audit hook sees: the request, the decision, and why a denial was made. */
export interface PolicyDecision extends PolicyRequest {
  allowed: boolean;
  reason: string | null;
}

/** A check callback: true allows; false or a string (the reason) denies. Anything else denies. */
export type PolicyCheck = (request: PolicyRequest) => boolean | string;
export type PolicyAudit = (decision: PolicyDecision) => void;
export interface OptionBounds { min?: number; max?: number }

interface AddressRule { uses: number; address: Uint8Array; lo: number; hi: number }
interface OptionRule { level: number; option: number; bounded: boolean; min: number; max: number }

const P_TCP = 1, P_UDP = 2, P_UNIX = 4;
const UTF8 = new TextEncoder();
const TEXT = new TextDecoder();

/**
 * A sandbox policy: everything is denied until allowed. Protocols (allowTcp, allowUdp,
 * allowUnix), address rules per use (allow), options (allowOption), check callbacks and
 * audit hooks. Give it to a network: `network({ policy: policy().allowTcp().allow(...) })`;
 * the network takes a copy, so later changes apply to networks made later.
 */
export class Policy {
  private _protocols = 0;
  private readonly _rules: AddressRule[] = [];
  private readonly _options: OptionRule[] = [];
  private readonly _checks: PolicyCheck[] = [];
  private readonly _audits: PolicyAudit[] = [];

  /** TCP sockets (AF_INET/AF_INET6, SOCK_STREAM) may be made. */
  allowTcp(): this { this._protocols |= P_TCP; return this; }
  /** UDP sockets (AF_INET/AF_INET6, SOCK_DGRAM) may be made. */
  allowUdp(): this { this._protocols |= P_UDP; return this; }
  /** AF_UNIX sockets (socketpair too) may be made. */
  allowUnix(): this { this._protocols |= P_UNIX; return this; }

  /**
   * Allows `use` (or each of several) of `address`: a CIDR ('10.0.0.0/8', '::1/128',
   * '0.0.0.0/0'), an IP (that address alone), a unix path ('/run/app.sock') or abstract name
   * ('\0app'), either ending in '*' for every name with that prefix ('/run/app/*'). `ports`:
   * one port, an inclusive [lo, hi] range, or omitted for any (inet addresses only).
   */
  allow(use: PolicyUse | readonly PolicyUse[], address: string, ports?: number | readonly [number, number]): this {
    let uses = 0;
    for (const u of typeof use === 'string' ? [use] : Array.isArray(use) ? use : [use as unknown]) {
      const i = ADDRESS_USES.indexOf(u as PolicyUse);
      if (i < 0) throw new ValueError(`policy use must be one of ${ADDRESS_USES.join(', ')}, not ${String(u)}`);
      uses |= 1 << POLICY_USES.indexOf(u as PolicyUse);
    }
    if (uses === 0) throw new ValueError('policy allow() needs at least one use');
    if (typeof address !== 'string') throw new TypeError(`policy address must be a string, not ${typeof address}`);
    const bytes = UTF8.encode(address);
    const c = core();          // any core parses (the host-free one too): nothing is installed
    const kind = c.x.pol_parse(c.putStr(bytes));
    if (kind < 0 || bytes.length > 1024) throw new ValueError(`invalid policy address ${JSON.stringify(address)}: expected a CIDR, an IP, a unix path ('/...') or an abstract name ('\\0...')`);
    let lo = 0, hi = 65535;
    if (ports !== undefined) {
      if (kind >= 2) throw new ValueError(`a unix address takes no ports: ${JSON.stringify(address)}`);
      [lo, hi] = typeof ports === 'number' ? [ports, ports] : Array.isArray(ports) && ports.length === 2 ? ports : [NaN, NaN];
      if (![lo, hi].every((p) => Number.isInteger(p) && p >= 0 && p <= 65535) || lo > hi) {
        throw new ValueError(`policy ports must be a port or a [lo, hi] range within 0-65535, not ${JSON.stringify(ports)}`);
      }
    }
    this._rules.push({ uses, address: bytes, lo, hi });
    return this;
  }

  /**
   * setsockopt(level, option, ...) is allowed (every other pair is denied). With `bounds`
   * the value must be an int (or 4 bytes, a C int) within [min, max] (either may be left out).
   */
  allowOption(level: number, option: number, bounds?: OptionBounds): this {
    for (const [what, v] of [['level', level], ['option', option]] as const) {
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new ValueError(`policy option ${what} must be a C int, not ${String(v)}`);
    }
    const min = bounds?.min ?? -Infinity, max = bounds?.max ?? Infinity;
    if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
      throw new ValueError(`policy option bounds must be numbers with min <= max, not ${JSON.stringify(bounds)}`);
    }
    this._options.push({ level, option, bounded: bounds !== undefined, min, max });
    return this;
  }

  /** A callback consulted after the rules allow: true allows, false or a reason string denies. */
  check(fn: PolicyCheck): this {
    if (typeof fn !== 'function') throw new TypeError('policy check() takes a function');
    this._checks.push(fn);
    return this;
  }

  /** A hook that sees every decision, allowed and denied (an observer: what it throws is ignored). */
  audit(fn: PolicyAudit): this {
    if (typeof fn !== 'function') throw new TypeError('policy audit() takes a function');
    this._audits.push(fn);
    return this;
  }

  /** @internal the copy a network installs in its cores (src/network.ts). */
  _install(): InstalledPolicy {
    return new InstalledPolicy(this._protocols, [...this._rules], [...this._options], [...this._checks], [...this._audits]);
  }
}

/** A new, empty policy: nothing is allowed. */
export function policy(): Policy {
  return new Policy();
}

/** A policy as a network holds it: loaded into each core it makes, answering the core's calls out. */
export class InstalledPolicy {
  constructor(
    private readonly protocols: number,
    private readonly rules: readonly AddressRule[],
    private readonly options: readonly OptionRule[],
    private readonly checks: readonly PolicyCheck[],
    private readonly audits: readonly PolicyAudit[],
  ) {}

  /** Whether the core must call out (check callbacks, audit hooks): a core that can import nothing of wasock's cannot. */
  get callsOut(): boolean { return this.checks.length > 0 || this.audits.length > 0; }

  /** Loads the rules into core `c` (its constructor calls this). */
  load(c: Core): void {
    const x = c.x;
    x.pol_install(this.protocols, (this.checks.length ? 1 : 0) | (this.audits.length ? 2 : 0));
    for (const r of this.rules) {
      if (x.pol_rule(r.uses, c.putStr(r.address), r.lo, r.hi) < 0) throw new ValueError('invalid policy address');
    }
    for (const o of this.options) x.pol_option(o.level, o.option, o.bounded ? 1 : 0, o.min, o.max);
  }

  /**
   * The policy import: the core decided `allowed` by its rules and left the request in its
   * policy area. The check callbacks run on what the rules allow (the first refusal wins;
   * one that throws refuses), every audit hook sees the outcome. Returns 1 or 0.
   */
  decide(c: Core, allowed: number): number {
    const req = readRequest(c);
    let ok = allowed === 1, why = '';
    if (ok) {
      for (const f of this.checks) {
        let v: unknown;
        try { v = f({ ...req }); } catch (e) { v = `the check callback raised ${String(e)}`; }
        if (v !== true) { ok = false; why = typeof v === 'string' ? v : 'refused by the check callback'; break; }
      }
    }
    c.policyReason = why;
    if (this.audits.length) {
      const reason = ok ? null : allowed === 1 ? why : reasonText(c, req);
      for (const f of this.audits) {
        try { f({ ...req, allowed: ok, reason }); } catch { /* an observer: its failure changes nothing */ }
      }
    }
    return ok ? 1 : 0;
  }
}

/** The request the core left in its policy area. */
function readRequest(c: Core): PolicyRequest {
  const i32 = c.i32, q = c.POL >> 2;
  const at = (off: number) => i32[q + (off >> 2)];
  const use = POLICY_USES[at(Q_USE)], family = at(Q_FAMILY), type = at(Q_TYPE), proto = at(Q_PROTO);
  const n = at(Q_TEXTLEN), port = at(Q_PORT);
  const vkind = at(Q_VKIND), v = at(Q_VALUE);
  let address: string | null = null;
  if (n >= 0) {
    const bytes = c.u8.subarray(c.POL + Q_TEXT, c.POL + Q_TEXT + n);
    address = family === 1 ? TEXT.decode(bytes) : String.fromCharCode(...bytes);
  }
  const opt = use === 'setsockopt';
  return {
    use, api: POLICY_APIS[at(Q_API)], family, type, proto, protocol: protocolOf(family, type, proto),
    address, port: port >= 0 ? port : null, implicit: at(Q_IMPLICIT) === 1,
    level: opt ? at(Q_LEVEL) : null, option: opt ? at(Q_OPTION) : null,
    value: !opt ? null : vkind === 1 ? v : vkind === 2 ? c.u8.slice(v, v + at(Q_VLEN)) : null,
  };
}

function protocolOf(family: number, type: number, proto: number): 'tcp' | 'udp' | 'unix' | null {
  if (family === 1) return 'unix';
  if (family !== 2 && family !== 10) return null;
  if (type === 1 && (proto === 0 || proto === 6)) return 'tcp';
  if (type === 2 && (proto === 0 || proto === 17)) return 'udp';
  return null;
}

/** The preposition each use takes before its address. */
const PREPOSITION: Readonly<Record<string, string>> = {
  bind: 'to', listen: 'on', accept: 'from', connect: 'to', send: 'to', receive: 'from',
};
const FAMILY_NAMES: Readonly<Record<number, string>> = { 1: 'AF_UNIX', 2: 'AF_INET', 10: 'AF_INET6' };
const TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'SOCK_STREAM', 2: 'SOCK_DGRAM', 3: 'SOCK_RAW', 5: 'SOCK_SEQPACKET' };

/** A Python-like repr of a str: single quotes, control characters escaped. */
function repr(s: string): string {
  return `'${s.replace(/[\\']/g, (ch) => `\\${ch}`).replace(/[\x00-\x1f\x7f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

/** Why the core (or a check callback) denied the request. */
function reasonText(c: Core, req: PolicyRequest): string {
  const i32 = c.i32, q = c.POL >> 2;
  switch (i32[q + (Q_REASON >> 2)]) {
    case PR_PROTOCOL: return req.protocol ? `${req.protocol} sockets are not allowed` : 'only tcp, udp and unix sockets can be allowed';
    case PR_NO_RULE: return `no rule allows ${req.use} ${PREPOSITION[req.use]} this address`;
    case PR_OPTION: return 'no rule allows this option';
    case PR_BOUNDS: {
      const f64 = c.f64, min = f64[(c.POL + Q_MIN) >> 3], max = f64[(c.POL + Q_MAX) >> 3];
      const v = typeof req.value === 'number' ? req.value
        : req.value instanceof Uint8Array && req.value.length === 4 ? new DataView(req.value.buffer, req.value.byteOffset).getInt32(0, true) : null;
      return v === null ? `the option takes an int within [${min}, ${max}]` : `value ${v} is outside [${min}, ${max}]`;
    }
    case PR_CHECK: return c.policyReason || 'refused by the check callback';
  }
  return 'denied';
}

/** What was asked, as the message says it: "connect to 10.0.0.1 port 80", "setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)". */
function subject(req: PolicyRequest): string {
  if (req.use === POLICY_USES[PU_SOCKET]) {
    const proto = req.proto ? `, ${req.proto}` : '';
    return `${req.api}(${FAMILY_NAMES[req.family] ?? req.family}, ${TYPE_NAMES[req.type] ?? req.type}${proto})`;
  }
  if (req.use === POLICY_USES[PU_SETSOCKOPT]) {
    const level = LEVEL_NAMES[req.level!] ?? String(req.level);
    const option = findOption(req.level!, req.option!)?.name ?? String(req.option);
    const value = typeof req.value === 'number' ? String(req.value)
      : req.value instanceof Uint8Array ? `<${req.value.length} bytes>` : 'None';
    return `setsockopt(${level}, ${option}, ${value})`;
  }
  const where = req.address === null ? 'an unknown address'
    : req.family === 1 ? (req.address === '' ? 'an unnamed unix socket' : repr(req.address))
    : `${req.address} port ${req.port}`;
  const what = `${req.use} ${PREPOSITION[req.use]} ${where}`;
  return req.implicit ? `${req.api}(): implicit ${what}` : what;
}

/**
 * The PermissionError for a denial the core reported (E_POLICY_DENIED): errno EPERM, as
 * Wasmer's; the message names what was asked and why it was refused.
 */
export function policyError(c: Core): PermissionError {
  const req = readRequest(c);
  return new PermissionError(1, `${subject(req)} denied by policy: ${reasonText(c, req)}`);
}
