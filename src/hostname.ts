// gethostname() and sethostname(name): CPython 3.11's socket_gethostname and
// socket_sethostname (Modules/socketmodule.c). This file converts the arguments (PyArg's
// rules and messages) and the name's bytes; the core decides (assembly/hostname.ts: the
// capability, the policy's refusal) and the host asks the OS.
import { errorFor, ValueError, UnicodeEncodeError } from './errors.js';
import { pyTypeName, ReadOnlyBuffer } from './args.js';
import { bindingOf } from './binding.js';

/** The core's buffer (assembly/hostname.ts HN_SIZE): a longer name goes as its first 1024 bytes, length 1025 (the OS refuses it). */
const HN_SIZE = 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** gethostname(): the machine's name, decoded as PyUnicode_DecodeFSDefault does (UTF-8, surrogateescape). */
export function gethostname(this: unknown): string {
  if (arguments.length) throw new TypeError(`_socket.gethostname() takes no arguments (${arguments.length} given)`);
  const c = bindingOf(this).core();
  const n = c.x.hn_get();
  if (n < 0) throw errorFor(n, 'gethostname', c);
  const p = c.x.hn_buf();
  return fsdecode(c.u8.slice(p, p + n));
}

/**
 * sethostname(name): PyArg "S" (bytes, as they are) or else "O&" with PyUnicode_FSConverter
 * (str, encoded UTF-8 with surrogateescape, no NUL). CPython takes nothing else: bytearray and
 * memoryview get the converter's TypeError.
 */
export function sethostname(this: unknown, name: unknown): void {
  if (arguments.length !== 1) throw new TypeError(`sethostname() takes exactly 1 argument (${arguments.length} given)`);
  let b: Uint8Array;
  // A Uint8Array (or a readonly() one) is bytes, as everywhere in wasock (pyTypeName).
  if (name instanceof Uint8Array) b = name;
  else if (name instanceof ReadOnlyBuffer) b = name.bytes;
  else if (typeof name === 'string') {
    b = fsencode(name);
    if (b.includes(0)) throw new ValueError('embedded null byte');
  } else throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(name)}`);
  const c = bindingOf(this).core();
  c.u8.set(b.subarray(0, HN_SIZE), c.x.hn_buf());
  const r = c.x.hn_set(Math.min(b.length, HN_SIZE + 1));
  if (r < 0) throw errorFor(r, 'sethostname', c);
}

/** os.fsencode on Linux: UTF-8, lone surrogates U+DC80..U+DCFF back to the bytes they escape. */
function fsencode(s: string): Uint8Array {
  const out: number[] = [];
  let i = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      if (cp < 0xdc80 || cp > 0xdcff) {
        throw UnicodeEncodeError.encoding('utf-8', ch, i, i + 1, 'surrogates not allowed');
      }
      out.push(cp - 0xdc00);
    } else out.push(...new TextEncoder().encode(ch));
    i++;
  }
  return Uint8Array.from(out);
}

/** PyUnicode_DecodeFSDefault on Linux: UTF-8, each undecodable byte as U+DC80..U+DCFF. */
function fsdecode(b: Uint8Array): string {
  try { return strictUtf8.decode(b); } catch { /* some byte is not UTF-8: escape it */ }
  let s = '';
  for (let i = 0; i < b.length; ) {
    const lead = b[i];
    const len = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    try {
      if (lead >= 0x80 && len === 1) throw new Error();
      s += strictUtf8.decode(b.subarray(i, i + len));
      i += len;
    } catch {
      s += String.fromCharCode(0xdc00 + lead);
      i++;
    }
  }
  return s;
}
