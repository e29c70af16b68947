// The name service imports (bindings/host.ts): wasock:core/host has no name functions, so a
// component never holds name_lookup (docs/embedding.md) and the core never calls these.

@global export function HOST_name_addrinfo(name: usize, len: i32, family: i32, flags: i32, out: usize, cap: i32): i32 { unreachable(); return 0; }
@global export function HOST_name_hostent(byAddr: i32, key: usize, len: i32, family: i32, out: usize, cap: i32): i32 { unreachable(); return 0; }
@global export function HOST_name_servbyname(name: usize, len: i32, proto: usize, plen: i32): i32 { unreachable(); return 0; }
@global export function HOST_name_servbyport(port: i32, proto: usize, plen: i32, out: usize, cap: i32): i32 { unreachable(); return 0; }
@global export function HOST_name_protobyname(name: usize, len: i32): i32 { unreachable(); return 0; }
@global export function HOST_name_interfaces(out: usize, cap: i32): i32 { unreachable(); return 0; }
