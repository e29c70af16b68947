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
export function HOST_fcntl(_fd: i32, _cmd: i32, _arg: i32): i32 { return -ENOSYS; }
export function HOST_fcntl_ptr(_fd: i32, _cmd: i32, _ptr: usize): i32 { return -ENOSYS; }
export function HOST_ioctl(_fd: i32, _request: u32, _ptr: usize): i32 { return -ENOSYS; }
export function HOST_ioctl_int(_fd: i32, _request: u32, _arg: i32): i32 { return -ENOSYS; }
export function HOST_win_ioctl(_fd: i32, _code: u32, _ptr: usize, _len: i32): i32 { return -ENOSYS; }
export function HOST_set_nonblocking(_fd: i32, _on: i32): i32 { return -ENOSYS; }
export function HOST_poll(_fd: i32, _events: i32, _timeoutMs: i32): i32 { return -ENOSYS; }
/** No clock to read: time stands still (nothing here ever waits). */
export function HOST_now_ns(): i64 { return 0; }
export function HOST_recv_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32): i32 { return -ENOSYS; }
export function HOST_send_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32): i32 { return -ENOSYS; }
export function HOST_recvfrom_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32, _addr: usize, _lenptr: usize): i32 { return -ENOSYS; }
export function HOST_sendto_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32, _addr: usize, _alen: i32): i32 { return -ENOSYS; }
export function HOST_getsockopt_js(_fd: i32, _level: i32, _opt: i32, _id: i32, _off: i32, _lenptr: usize): i32 { return -ENOSYS; }
export function HOST_ioctl_js(_fd: i32, _request: u32, _id: i32): i32 { return -ENOSYS; }

// The name service (capability name_lookup): no host has none of it here; "not found" if ever asked.
export function HOST_name_addrinfo(_name: usize, _len: i32, _family: i32, _flags: i32, _out: usize, _cap: i32): i32 { return -4; /* EAI_FAIL */ }
export function HOST_name_hostent(_byAddr: i32, _key: usize, _len: i32, _family: i32, _out: usize, _cap: i32): i32 { return -3; /* NO_RECOVERY */ }
export function HOST_name_servbyname(_name: usize, _len: i32, _proto: usize, _plen: i32): i32 { return -1; }
export function HOST_name_servbyport(_port: i32, _proto: usize, _plen: i32, _out: usize, _cap: i32): i32 { return -1; }
export function HOST_name_protobyname(_name: usize, _len: i32): i32 { return -1; }
export function HOST_name_interfaces(_out: usize, _cap: i32): i32 { return -38; /* ENOSYS */ }
// sendmsg/recvmsg: Python marks sendmsg "not WASI"; this host never declares the capability.
export function HOST_sendmsg(_fd: i32, _msg: usize, _flags: i32): i32 { return -ENOSYS; }
export function HOST_recvmsg(_fd: i32, _msg: usize, _flags: i32): i32 { return -ENOSYS; }
