// The codecs makefile()'s text files use (utf-8, latin-1, ascii) with Python's error
// handlers and messages, and len() in code points: Lib/encodings' role for TextIOWrapper.
import { ValueError, UnicodeEncodeError } from '../errors.js';

/** Python's UnicodeDecodeError (a ValueError). */
export class UnicodeDecodeError extends ValueError {
  override get name(): string { return 'UnicodeDecodeError'; }
}
/** Python's LookupError (unknown encodings). */
export class LookupError extends Error {
  override get name(): string { return 'LookupError'; }
}

export type Codec = 'utf-8' | 'latin-1' | 'ascii';
const CODECS: Record<string, Codec> = {
  'utf-8': 'utf-8', utf8: 'utf-8', 'utf_8': 'utf-8', u8: 'utf-8',
  'latin-1': 'latin-1', latin1: 'latin-1', 'latin_1': 'latin-1', 'iso-8859-1': 'latin-1', 'iso8859-1': 'latin-1', l1: 'latin-1',
  ascii: 'ascii', 'us-ascii': 'ascii', 'us_ascii': 'ascii',
};

export function codecOf(encoding: string): Codec {
  const c = CODECS[encoding.toLowerCase().replace(/ /g, '_')];
  if (!c) throw new LookupError(`unknown encoding: ${encoding}`);
  return c;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Latin-1 text of bytes: Node's Buffer decodes natively; a page has none, and its
 * TextDecoder('latin1') is windows-1252 by the WHATWG rules (0x80-0x9f differ), so there
 * each byte is its code point, a chunk at a time (fromCharCode's argument count is bounded).
 */
function latin1(b: Uint8Array): string {
  if (typeof Buffer === 'function') return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  return s;
}

/**
 * Decodes bytes[0..n) with Python's codec rules and error handlers. Valid input (every
 * handler gives the same text for it) goes through the native decoders; anything else,
 * and every error message, through decodeExact().
 */
export function decode(codec: Codec, bytes: Uint8Array, errors: string, final: boolean): { text: string; rest: number } {
  const n = bytes.length;
  if (codec === 'latin-1') {
    return { text: latin1(bytes), rest: 0 };
  }
  let cut = n;
  if (codec === 'utf-8' && !final) cut = completePrefix(bytes);
  if (cut < n) {
    // The tail must be the valid start of a character, or Python reports it now.
    try {
      if (decodeExact(codec, bytes.subarray(cut), 'strict', false).rest !== n - cut) cut = -1;
    } catch { cut = -1; }
  }
  if (cut >= 0) {
    let text: string | null = null;
    try { text = UTF8.decode(cut === n ? bytes : bytes.subarray(0, cut)); } catch { /* invalid */ }
    if (text !== null && (codec === 'utf-8' || text.length === cut)) return { text, rest: n - cut };
  }
  return decodeExact(codec, bytes, errors, final);
}

/** Where the bytes stop holding only whole UTF-8 sequences (a cut inside the last one). */
function completePrefix(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = bytes[i];
    if (b < 0x80) return n;
    if (b >= 0xc0) return i + (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) <= n ? n : i;
  }
  return n;
}

/**
 * Decodes bytes[0..n) with Python's codec rules and error handlers, byte by byte. Without
 * `final`, an incomplete UTF-8 sequence at the end is left over (its length in `rest`).
 */
function decodeExact(codec: Codec, bytes: Uint8Array, errors: string, final: boolean): { text: string; rest: number } {
  let out = '';
  const n = bytes.length;
  const fail = (start: number, end: number, reason: string): void => {
    if (errors === 'strict') {
      const where = end - start === 1 ? `byte 0x${hex2(bytes[start])} in position ${start}` : `bytes in position ${start}-${end - 1}`;
      throw new UnicodeDecodeError(`'${codec}' codec can't decode ${where}: ${reason}`);
    }
    if (errors === 'replace') out += '\ufffd';
    else if (errors === 'backslashreplace') for (let k = start; k < end; k++) out += `\\x${hex2(bytes[k])}`;
    else if (errors !== 'ignore' && errors !== 'surrogateescape') throw new LookupError(`unknown error handler name '${errors}'`);
    else if (errors === 'surrogateescape') for (let k = start; k < end; k++) out += String.fromCharCode(0xdc00 + bytes[k]);
  };
  if (codec === 'latin-1') {
    for (let i = 0; i < n; i++) out += String.fromCharCode(bytes[i]);
    return { text: out, rest: 0 };
  }
  if (codec === 'ascii') {
    for (let i = 0; i < n; i++) {
      if (bytes[i] < 0x80) out += String.fromCharCode(bytes[i]);
      else fail(i, i + 1, 'ordinal not in range(128)');
    }
    return { text: out, rest: 0 };
  }
  let i = 0;
  while (i < n) {
    const b0 = bytes[i];
    if (b0 < 0x80) { out += String.fromCharCode(b0); i++; continue; }
    let need: number, lo = 0x80, hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) { need = 2; if (b0 === 0xe0) lo = 0xa0; if (b0 === 0xed) hi = 0x9f; }
    else if (b0 >= 0xf0 && b0 <= 0xf4) { need = 3; if (b0 === 0xf0) lo = 0x90; if (b0 === 0xf4) hi = 0x8f; }
    else { fail(i, i + 1, 'invalid start byte'); i++; continue; }
    let k = 1, cp = b0 & (0x3f >> need);
    for (; k <= need; k++) {
      if (i + k >= n) break;
      const b = bytes[i + k];
      if (b < (k === 1 ? lo : 0x80) || b > (k === 1 ? hi : 0xbf)) break;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (k > need) { out += String.fromCodePoint(cp); i += k; continue; }
    // ED A0..BF (a surrogate's start) cut by the end of the data waits for more, as in
    // CPython: its decoder checks surrogates only on the whole sequence (for surrogatepass).
    if (!final && b0 === 0xed && k === 1 && i + 2 === n && bytes[i + 1] >= 0xa0 && bytes[i + 1] <= 0xbf) {
      return { text: out, rest: n - i };
    }
    if (i + k >= n) {                       // ran out of data inside a sequence
      if (!final) return { text: out, rest: n - i };
      fail(i, n, 'unexpected end of data');
      i = n;
      continue;
    }
    fail(i, i + k, 'invalid continuation byte');
    i += k;
  }
  return { text: out, rest: 0 };
}

/** Encodes text with Python's codec rules and error handlers. */
export function encode(codec: Codec, text: string, errors: string): Uint8Array {
  if (codec === 'utf-8' && !/\p{Cs}/u.test(text)) return new TextEncoder().encode(text);
  const limit = codec === 'ascii' ? 0x80 : 0x100;
  const bad = codec === 'utf-8' ? (cp: number) => cp >= 0xd800 && cp <= 0xdfff : (cp: number) => cp >= limit;
  const cps = Array.from(text);
  const out: number[] = [];
  const put = (cp: number): void => {
    if (codec !== 'utf-8' || cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  };
  const esc = (cp: number): string => cp <= 0xff ? `\\x${hex2(cp)}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i].codePointAt(0)!;
    if (!bad(cp)) { put(cp); continue; }
    let j = i;
    while (j < cps.length && bad(cps[j].codePointAt(0)!)) j++;
    const fail = (): never => {
      const reason = codec === 'utf-8' ? 'surrogates not allowed' : codec === 'ascii' ? 'ordinal not in range(128)' : 'ordinal not in range(256)';
      throw UnicodeEncodeError.encoding(codec, cps.slice(i, j).join(''), i, j, reason);
    };
    const run = cps.slice(i, j).map((c) => c.codePointAt(0)!);
    switch (errors) {
      case 'strict': fail(); break;
      case 'replace': for (const _ of run) out.push(0x3f); break;
      case 'ignore': break;
      case 'backslashreplace': for (const c of run) for (const ch of esc(c)) out.push(ch.charCodeAt(0)); break;
      case 'xmlcharrefreplace': for (const c of run) for (const ch of `&#${c};`) out.push(ch.charCodeAt(0)); break;
      case 'surrogateescape':
        if (run.some((c) => c < 0xdc80 || c > 0xdcff)) fail();
        for (const c of run) out.push(c - 0xdc00);
        break;
      case 'surrogatepass':
        if (codec !== 'utf-8') fail();
        for (const c of run) put(c);
        break;
      default: throw new LookupError(`unknown error handler name '${errors}'`);
    }
    i = j - 1;
  }
  return Uint8Array.from(out);
}

/** len(s) in code points (a lone surrogate counts as one, as in Python). */
const SURROGATE = /[\ud800-\udfff]/;

export function cpLength(s: string): number {
  let n = s.length;
  if (!SURROGATE.test(s)) return n;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

export function splitCp(s: string, n: number): [string, string] {
  let i = 0, k = 0;
  while (i < s.length && k < n) {
    const c = s.charCodeAt(i), d = s.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    k++;
  }
  return [s.slice(0, i), s.slice(i)];
}
