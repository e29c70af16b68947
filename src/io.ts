// Python's io stack as socket.makefile() builds it: SocketIO (raw) under BufferedReader,
// BufferedWriter, BufferedRWPair and TextIOWrapper, with CPython 3.11's results and
// messages. The read buffer lives in a JavaScript ArrayBuffer the kernel fills directly
// (the host hands its storage to recv, no extra copy), and bytes handed to the caller are
// views of it: no copy at all (see BufferedReader).
//
// The layers live in src/io/ as Lib/_pyio.py separates them: base (IOBase), raw (SocketIO),
// buffered, text and codecs. This module is the `io` namespace the package exports.
export { DEFAULT_BUFFER_SIZE, UnsupportedOperation } from './io/base.js';
export { SocketIO } from './io/raw.js';
export { BufferedReader, BufferedWriter, BufferedRWPair } from './io/buffered.js';
export { UnicodeDecodeError, LookupError } from './io/codecs.js';
export { TextIOWrapper } from './io/text.js';
import type { SocketIO } from './io/raw.js';

// ---------------------------------------------------------------- makefile()'s types

/** makefile()'s keyword arguments (text files only; Python rejects them for binary files). */
export interface MakefileOptions { encoding?: string | null; errors?: string | null; newline?: string | null }

// The mode strings, by the file makefile() builds for them. makefile() looks at set(mode), so
// order does not matter; other strings of r, w and b (repeats, such as 'rrb') fall to the
// general signature, and any other character is a ValueError at run time.
/** Binary, read only: a BufferedReader ('b' alone reads, as in Python). */
export type ReadBinaryMode = 'rb' | 'br' | 'b';
/** Binary, write only: a BufferedWriter. */
export type WriteBinaryMode = 'wb' | 'bw';
/** Binary, both ways: a BufferedRWPair. */
export type ReadWriteBinaryMode = 'rwb' | 'rbw' | 'wrb' | 'wbr' | 'brw' | 'bwr';
/** Text (the default 'r'): a TextIOWrapper over the matching buffered file. */
export type TextMode = 'r' | 'w' | 'rw' | 'wr' | '';

/**
 * A binary makefile()'s result for buffering B: buffering 0 gives the raw SocketIO; a B that
 * may be 0 (a plain `number`) may give either, so the type says so rather than guess.
 */
export type BufferedOrRaw<B, File> = [B] extends [0] ? SocketIO : 0 extends B ? File | SocketIO : File;
