// Error codes the core returns. OS errors travel as -errno (1..4095); the core's own
// decisions travel as -(ERR_BASE + code). Messages and exception classes are made in one
// place on the TypeScript side (src/errors.ts, table CORE_ERRORS), keyed by these codes,
// so the Wasm holds no message text it does not need.

export const ERR_BASE: i32 = 4096;

export const E_BUFLEN_RANGE: i32 = 1;     // OSError('getsockopt buflen out of range')
export const E_TIMEOUT: i32 = 2;          // TimeoutError('timed out')
export const E_NEGATIVE_FD: i32 = 3;      // ValueError('negative file descriptor')
export const E_RECV_NEGATIVE: i32 = 4;    // ValueError('negative buffersize in recv')
export const E_RECVFROM_NEGATIVE: i32 = 5;// ValueError('negative buffersize in recvfrom')
export const E_RECVINTO_NEGATIVE: i32 = 6;// ValueError('negative buffersize in recv_into')
export const E_RECVINTO_SMALL: i32 = 7;   // ValueError('buffer too small for requested bytes')
export const E_PORT_RANGE: i32 = 8;       // OverflowError('<fn>: port must be 0-65535.')
export const E_FLOWINFO_RANGE: i32 = 9;   // OverflowError('<fn>: flowinfo must be 0-1048575.')
export const E_UNIX_PATH_LONG: i32 = 10;  // OSError('AF_UNIX path too long')
export const E_NAME_LOOKUP: i32 = 11;     // the host string needs name resolution
export const E_BAD_FAMILY_ADDR: i32 = 12; // address of an unsupported family
export const E_BROADCAST_FAMILY: i32 = 13;// '<broadcast>' on a non-AF_INET socket
export const E_ADDR_FAMILY_HOST: i32 = 14;// gaierror(EAI_ADDRFAMILY -9): numeric host of the other family
export const E_HOST_NUL: i32 = 15;        // TypeError('host name must not contain null character')
export const E_RECVFROMINTO_NEGATIVE: i32 = 16; // ValueError('negative buffersize in recvfrom_into')
export const E_RECVFROMINTO_SMALL: i32 = 17;    // ValueError('nbytes is greater than the length of the buffer')
export const E_TIMEOUT_NAN: i32 = 18;     // ValueError('Invalid value NaN (not a number)')
export const E_TIMEOUT_RANGE: i32 = 19;   // ValueError('Timeout value out of range')
export const E_TIME_T_RANGE: i32 = 20;    // OverflowError('timestamp out of range for platform time_t')
export const E_PYTIME_RANGE: i32 = 21;    // OverflowError('timestamp too large to convert to C _PyTime_t')
// 40: numbered apart from the run above, which other work extends.
export const E_SHARED_BLOCKING: i32 = 40;// ValueError('<fn>(): a socket shared with Node cannot be blocking')
export const E_FILDES_NEGATIVE: i32 = 22; // ValueError('file descriptor cannot be a negative integer (<fd>)'), fd in SCR_OUT[0]
export const E_FCNTL_ARG_LONG: i32 = 23;  // ValueError('fcntl string arg too long')
export const E_IOCTL_ARG_LONG: i32 = 24;  // ValueError('ioctl string arg too long')
export const E_IOCTL_COMMAND: i32 = 25;   // ValueError('invalid ioctl command <u32>'), control in SCR_OUT[0]
export const E_NOT_AVAILABLE: i32 = 256;  // + capability bit: NotAvailableError

@inline export function fail(code: i32): i32 { return -(ERR_BASE + code); }
