// The name service imports (bindings/host.ts, capability name_lookup) of a host without one
// (asconfig targets none and wasi-p1 name this folder in `lib`):
// the capability is absent, so the core never calls these (it raises NotAvailableError
// first); if it ever did, "not found" is the honest answer.

export function HOST_name_addrinfo(_name: usize, _len: i32, _family: i32, _flags: i32, _out: usize, _cap: i32): i32 { return -4; /* EAI_FAIL */ }
export function HOST_name_hostent(_byAddr: i32, _key: usize, _len: i32, _family: i32, _out: usize, _cap: i32): i32 { return -3; /* NO_RECOVERY */ }
export function HOST_name_servbyname(_name: usize, _len: i32, _proto: usize, _plen: i32): i32 { return -1; }
export function HOST_name_servbyport(_port: i32, _proto: usize, _plen: i32, _out: usize, _cap: i32): i32 { return -1; }
export function HOST_name_protobyname(_name: usize, _len: i32): i32 { return -1; }
export function HOST_name_interfaces(_out: usize, _cap: i32): i32 { return -38; /* ENOSYS */ }
