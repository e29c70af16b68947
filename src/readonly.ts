// Python's bytes where JavaScript has only writable buffers: fcntl.readonly(buf) wraps a
// buffer so that fcntl.ioctl and fcntl.fcntl treat it as read-only (copied, never written,
// the result new bytes), where a plain Uint8Array is a bytearray (docs/decisions.md).
import { pyTypeName } from './args.js';

/** A read-only view of bytes: what Python's `bytes` is to ioctl and fcntl (fcntl.readonly()). */
export class ReadOnlyBuffer {
  /** The bytes, not copied: ioctl and fcntl copy them when called, as CPython does. */
  readonly bytes: Uint8Array;
  constructor(buf: Uint8Array | ArrayBufferView | ArrayBuffer) {
    if (buf instanceof Uint8Array) this.bytes = buf;
    else if (ArrayBuffer.isView(buf)) this.bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    else if (buf instanceof ArrayBuffer) this.bytes = new Uint8Array(buf);
    else throw new TypeError(`a bytes-like object is required, not '${pyTypeName(buf)}'`);
    Object.freeze(this);
  }
  get length(): number { return this.bytes.length; }
}
