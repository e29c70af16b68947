// The host of a core with no operating system at all, compiled into the core: every
// capability absent, so the core never calls these (it checks the capability set first and
// raises NotAvailableError); if it ever did, ENOSYS is the honest answer. The browser entry
// and a Node process before its first socket run on this core: struct, the errno and option
// tables and the decoders need no host. Its asconfig target ("none") names this folder in
// `lib`, which makes these HOST_* functions the core's host (assembly/bindings/host.ts).

const ENOSYS: i32 = 38;
export function HOST_caps(): i32 { return 0; }
export function HOST_socket(_family: i32, _type: i32, _proto: i32): i32 { return -ENOSYS; }
export function HOST_socketpair(_family: i32, _type: i32, _proto: i32, _out: usize): i32 { return -ENOSYS; }
export function HOST_close(_fd: i32): i32 { return -ENOSYS; }
export function HOST_dup(_fd: i32): i32 { return -ENOSYS; }
export function HOST_bind(_fd: i32, _addr: usize, _len: i32): i32 { return -ENOSYS; }
export function HOST_connect(_fd: i32, _addr: usize, _len: i32): i32 { return -ENOSYS; }
export function HOST_listen(_fd: i32, _backlog: i32): i32 { return -ENOSYS; }
export function HOST_accept(_fd: i32, _addr: usize, _lenptr: usize, _flags: i32): i32 { return -ENOSYS; }
export function HOST_getsockopt(_fd: i32, _level: i32, _opt: i32, _val: usize, _lenptr: usize): i32 { return -ENOSYS; }
export function HOST_setsockopt(_fd: i32, _level: i32, _opt: i32, _val: usize, _len: i32): i32 { return -ENOSYS; }
export function HOST_getsockname(_fd: i32, _addr: usize, _lenptr: usize): i32 { return -ENOSYS; }
export function HOST_getpeername(_fd: i32, _addr: usize, _lenptr: usize): i32 { return -ENOSYS; }
export function HOST_recv(_fd: i32, _buf: usize, _len: i32, _flags: i32): i32 { return -ENOSYS; }
export function HOST_send(_fd: i32, _buf: usize, _len: i32, _flags: i32): i32 { return -ENOSYS; }
export function HOST_recvfrom(_fd: i32, _buf: usize, _len: i32, _flags: i32, _addr: usize, _lenptr: usize): i32 { return -ENOSYS; }
export function HOST_sendto(_fd: i32, _buf: usize, _len: i32, _flags: i32, _addr: usize, _alen: i32): i32 { return -ENOSYS; }
export function HOST_shutdown(_fd: i32, _how: i32): i32 { return -ENOSYS; }
export function HOST_set_nonblocking(_fd: i32, _on: i32): i32 { return -ENOSYS; }
export function HOST_poll(_fd: i32, _events: i32, _timeoutMs: i32): i32 { return -ENOSYS; }
/** No clock to read: time stands still (nothing here ever waits). */
export function HOST_now_ns(): i64 { return 0; }

