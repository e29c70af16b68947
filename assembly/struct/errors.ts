// struct's error codes. Like the socket codes (../errors.ts) they travel as negative
// numbers, below the socket range; src/struct.ts makes the messages, with the numbers the
// core leaves in SCR_OUT (as i64) where CPython's message has them.

export const S_BASE: i32 = 8192;

export const S_BAD_CHAR: i32 = 1;          // bad char in struct format
export const S_REPEAT_NO_SPEC: i32 = 2;    // repeat count given without format specifier
export const S_TOO_LONG: i32 = 3;          // total struct size too long
export const S_EMBEDDED_NUL: i32 = 4;      // embedded null character
export const S_PACK_COUNT: i32 = 5;        // pack expected {0} items for packing (got {1})
export const S_NOT_INT: i32 = 6;           // required argument is not an integer
export const S_OUT_OF_RANGE: i32 = 7;      // argument out of range
export const S_INT_TOO_LARGE: i32 = 8;     // int too large to convert
export const S_NOT_FLOAT: i32 = 9;         // required argument is not a float
export const S_BYTE_RANGE: i32 = 10;       // byte format requires -128 <= number <= 127
export const S_UBYTE_RANGE: i32 = 11;      // ubyte format requires 0 <= number <= 255
export const S_CHAR: i32 = 12;             // char format requires a bytes object of length 1
export const S_SHORT_RANGE: i32 = 13;      // short format requires -32768 <= number <= 32767
export const S_USHORT_RANGE: i32 = 14;     // ushort format requires 0 <= number <= 65535
export const S_RANGE_SIGNED: i32 = 15;     // '{c}' format requires {lo} <= number <= {hi}
export const S_RANGE_UNSIGNED: i32 = 16;   // '{c}' format requires 0 <= number <= {hi}
export const S_NOT_BYTES: i32 = 17;        // argument for '{c}' must be a bytes object
export const S_FLOAT_TOO_LARGE: i32 = 18;  // OverflowError: float too large to pack with {c} format
export const S_UNPACK_SIZE: i32 = 19;      // unpack requires a buffer of {0} bytes
export const S_UNPACK_FROM_SIZE: i32 = 20; // unpack_from requires a buffer of at least ...
export const S_OFFSET_RANGE: i32 = 21;     // offset {0} out of range for {1}-byte buffer
export const S_NO_SPACE: i32 = 22;         // no space to pack {0} bytes at offset {1}
export const S_PACK_INTO_SIZE: i32 = 23;   // pack_into requires a buffer of at least ...
export const S_ITER_ZERO: i32 = 24;        // cannot iteratively unpack with a struct of length 0
export const S_ITER_MULTIPLE: i32 = 25;    // iterative unpacking requires a buffer of a multiple of {0} bytes
export const S_NOT_ENOUGH: i32 = 26;       // not enough data to unpack {0} bytes at offset {1}
export const S_PACK_INTO_COUNT: i32 = 27;  // pack_into expected {0} items for packing (got {1})
export const S_SYSTEM_NEGATIVE: i32 = 28;  // SystemError: Negative size passed to PyBytes_FromStringAndSize
export const S_NO_MEMORY: i32 = 29;        // MemoryError: a compiled format larger than one core block

@inline export function sfail(code: i32): i32 { return -(S_BASE + code); }
