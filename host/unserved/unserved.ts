// The host imports no WASI host serves, shared by the hosts compiled into a core without them
// (asconfig targets none, wasi-p1 and wasi-p2 name this folder in `lib`): fcntl and ioctl
// (Python's fcntl module is "not WASI"), socket.ioctl (Windows only), the js_buffers data path (a JavaScript host's zero-copy imports), sendmsg/recvmsg and
// the machine's name (Python: "not WASI"). Those capabilities are never declared there, so
// the core, which checks the set before every host call, never calls these; if it ever did,
// ENOSYS is the honest answer.

const ENOSYS: i32 = 38;
export function HOST_fcntl(_fd: i32, _cmd: i32, _arg: i32): i32 { return -ENOSYS; }
export function HOST_fcntl_ptr(_fd: i32, _cmd: i32, _ptr: usize): i32 { return -ENOSYS; }
export function HOST_ioctl(_fd: i32, _request: u32, _ptr: usize): i32 { return -ENOSYS; }
export function HOST_ioctl_int(_fd: i32, _request: u32, _arg: i32): i32 { return -ENOSYS; }
export function HOST_win_ioctl(_fd: i32, _code: u32, _ptr: usize, _len: i32): i32 { return -ENOSYS; }
export function HOST_recv_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32): i32 { return -ENOSYS; }
export function HOST_send_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32): i32 { return -ENOSYS; }
export function HOST_recvfrom_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32, _addr: usize, _lenptr: usize): i32 { return -ENOSYS; }
export function HOST_sendto_js(_fd: i32, _id: i32, _off: i32, _len: i32, _flags: i32, _addr: usize, _alen: i32): i32 { return -ENOSYS; }
export function HOST_getsockopt_js(_fd: i32, _level: i32, _opt: i32, _id: i32, _off: i32, _lenptr: usize): i32 { return -ENOSYS; }
export function HOST_ioctl_js(_fd: i32, _request: u32, _id: i32): i32 { return -ENOSYS; }
export function HOST_sendmsg(_fd: i32, _msg: usize, _flags: i32): i32 { return -ENOSYS; }
export function HOST_recvmsg(_fd: i32, _msg: usize, _flags: i32): i32 { return -ENOSYS; }
export function HOST_hostname_get(_out: usize, _cap: i32): i32 { return -ENOSYS; }
export function HOST_hostname_set(_name: usize, _len: i32): i32 { return -ENOSYS; }
