"""The contract between the Wasm core (assembly/) and TypeScript (src/, host/): the one source.

Every number both sides must agree on is declared here, once, by name; scripts/gen_contract.py
writes assembly/generated/contract.ts (what the core compiles against) and
src/generated/contract.ts (the same names for TypeScript). Neither side types a number of the
contract by hand: the core's constant files (errors.ts, struct/errors.ts, caps.ts, ...) re-export
the generated names, and src/ and host/ import them. test/contract.test.ts fails when a generated
file is stale or when the two sides drift (a code without a message, an export without a type).

Changing a value here changes both sides at once; adding a name needs its consumer on each side
(a message in src/errors.ts for an E_*, a case in src/struct.ts for an S_*, ...), which the
contract test asks for.
"""
from __future__ import annotations

# ------------------------------------------------------------------------------- core errors
# OS errors travel as -errno (1..4095); the core's own decisions as -(ERR_BASE + code), so the
# Wasm holds no message text: src/errors.ts makes CPython's exception from the code.
ERR_BASE = 4096
# E_NOT_AVAILABLE + capability bit: NotAvailableError naming that capability.
E_NOT_AVAILABLE = 256

# (name, code, what CPython raises) — the third column is documentation, the message itself is
# made in src/errors.ts (CORE_ERRORS), keyed by the name.
CORE_ERRORS = (
    ("E_BUFLEN_RANGE", 1, "OSError('getsockopt buflen out of range')"),
    ("E_TIMEOUT", 2, "TimeoutError('timed out')"),
    ("E_NEGATIVE_FD", 3, "ValueError('negative file descriptor')"),
    ("E_RECV_NEGATIVE", 4, "ValueError('negative buffersize in recv')"),
    ("E_RECVFROM_NEGATIVE", 5, "ValueError('negative buffersize in recvfrom')"),
    ("E_RECVINTO_NEGATIVE", 6, "ValueError('negative buffersize in recv_into')"),
    ("E_RECVINTO_SMALL", 7, "ValueError('buffer too small for requested bytes')"),
    ("E_PORT_RANGE", 8, "OverflowError('<fn>(): port must be 0-65535.')"),
    ("E_FLOWINFO_RANGE", 9, "OverflowError('<fn>(): flowinfo must be 0-1048575.')"),
    ("E_UNIX_PATH_LONG", 10, "OSError('AF_UNIX path too long')"),
    ("E_NAME_LOOKUP", 11, "the host string needs name resolution"),
    ("E_BAD_FAMILY_ADDR", 12, "OSError('<fn>(): bad family'): address of an unsupported family"),
    ("E_BROADCAST_FAMILY", 13, "OSError('address family mismatched'): '<broadcast>' on a non-AF_INET socket"),
    ("E_ADDR_FAMILY_HOST", 14, "gaierror(EAI_ADDRFAMILY -9): numeric host of the other family"),
    ("E_HOST_NUL", 15, "TypeError('host name must not contain null character')"),
    ("E_RECVFROMINTO_NEGATIVE", 16, "ValueError('negative buffersize in recvfrom_into')"),
    ("E_RECVFROMINTO_SMALL", 17, "ValueError('nbytes is greater than the length of the buffer')"),
    ("E_TIMEOUT_NAN", 18, "ValueError('Invalid value NaN (not a number)')"),
    ("E_TIMEOUT_RANGE", 19, "ValueError('Timeout value out of range')"),
    ("E_TIME_T_RANGE", 20, "OverflowError('timestamp out of range for platform time_t')"),
    ("E_PYTIME_RANGE", 21, "OverflowError('timestamp too large to convert to C _PyTime_t')"),
    ("E_FILDES_NEGATIVE", 22, "ValueError('file descriptor cannot be a negative integer (<fd>)'), fd in SCR_OUT[0]"),
    ("E_FCNTL_ARG_LONG", 23, "ValueError('fcntl string arg too long')"),
    ("E_IOCTL_ARG_LONG", 24, "ValueError('ioctl string arg too long')"),
    ("E_IOCTL_COMMAND", 25, "ValueError('invalid ioctl command <u32>'), control in SCR_OUT[0]"),
    # 40: numbered apart from the run above when it was added; kept, codes are never reused.
    ("E_SHARED_BLOCKING", 40, "ValueError('<fn>(): a socket shared with Node cannot be blocking')"),
    # The sandbox policy (assembly/policy.ts): the details are in the policy request area.
    ("E_POLICY_DENIED", 41, "PermissionError(1, '<use> to <address> port <port> denied by policy: <reason>')"),
    ("E_POLICY_ADDRESS", 42, "ValueError('invalid policy address ...'): not a CIDR, an IP, a unix path or name"),
    # Name service (assembly/names.ts): glibc's EAI_* / h_errno value travels in SCR_OUT[0].
    ("E_GAI", 43, "gaierror(<EAI_*>, gai_strerror()), the EAI value in SCR_OUT[0]"),
    ("E_HERROR", 44, "herror(<h_errno>, hstrerror()), h_errno in SCR_OUT[0]"),
    ("E_NAME_DENIED", 45, "PermissionError(1, ...): every address a name resolves to is denied by the policy"),
    ("E_NO_INTERFACE", 46, "OSError('no interface with this name')"),
    ("E_SERVICE_NOT_FOUND", 47, "OSError('service/proto not found')"),
    ("E_PORT_NOT_FOUND", 48, "OSError('port/proto not found')"),
    ("E_PROTOCOL_NOT_FOUND", 49, "OSError('protocol not found')"),
    ("E_NAME_MULTIPLE", 50, "OSError('sockaddr resolved to multiple addresses')"),
    ("E_NAME_IPV4_TUPLE", 51, "OSError('IPv4 sockaddr must be 2 tuple')"),
    ("E_NAME_WILDCARD", 52, "OSError('wildcard resolved to multiple address'): setipaddr('', AF_UNSPEC)"),
    # sendmsg / recvmsg / recvmsg_into / CMSG_LEN / CMSG_SPACE (assembly/msg.ts): numbered from 60
    # so that codes other parts add meanwhile do not collide.
    ("E_RECVMSG_NEGATIVE", 60, "ValueError('negative buffer size in recvmsg()')"),
    ("E_ANCBUF_LENGTH", 61, "ValueError('invalid ancillary data buffer length')"),
    ("E_CMSG_LEN_RANGE", 62, "OverflowError('CMSG_LEN() argument out of range')"),
    ("E_CMSG_SPACE_RANGE", 63, "OverflowError('CMSG_SPACE() argument out of range')"),
    ("E_ANC_ITEM_LARGE", 64, "OSError('ancillary data item too large')"),
    ("E_ANC_TOO_MUCH", 65, "OSError('too much ancillary data')"),
    ("E_MSG_NO_MEMORY", 66, "MemoryError(): a message area beyond one core block"),
)
# Codes whose message quotes the number the core leaves in SCR_OUT[0].
CORE_ERRORS_WITH_DETAIL = ("E_FILDES_NEGATIVE", "E_IOCTL_COMMAND", "E_GAI", "E_HERROR")

# ----------------------------------------------------------------------------- struct errors
# struct's codes travel below the socket range, as -(S_BASE + code); src/struct.ts makes the
# messages, with the numbers the core leaves in SCR_OUT (as i64) where CPython's has them.
S_BASE = 8192
STRUCT_ERRORS = (
    ("S_BAD_CHAR", 1, "bad char in struct format"),
    ("S_REPEAT_NO_SPEC", 2, "repeat count given without format specifier"),
    ("S_TOO_LONG", 3, "total struct size too long"),
    ("S_EMBEDDED_NUL", 4, "embedded null character"),
    ("S_PACK_COUNT", 5, "pack expected {0} items for packing (got {1})"),
    ("S_NOT_INT", 6, "required argument is not an integer"),
    ("S_OUT_OF_RANGE", 7, "argument out of range"),
    ("S_INT_TOO_LARGE", 8, "int too large to convert"),
    ("S_NOT_FLOAT", 9, "required argument is not a float"),
    ("S_BYTE_RANGE", 10, "byte format requires -128 <= number <= 127"),
    ("S_UBYTE_RANGE", 11, "ubyte format requires 0 <= number <= 255"),
    ("S_CHAR", 12, "char format requires a bytes object of length 1"),
    ("S_SHORT_RANGE", 13, "short format requires -32768 <= number <= 32767"),
    ("S_USHORT_RANGE", 14, "ushort format requires 0 <= number <= 65535"),
    ("S_RANGE_SIGNED", 15, "'{c}' format requires {lo} <= number <= {hi}"),
    ("S_RANGE_UNSIGNED", 16, "'{c}' format requires 0 <= number <= {hi}"),
    ("S_NOT_BYTES", 17, "argument for '{c}' must be a bytes object"),
    ("S_FLOAT_TOO_LARGE", 18, "OverflowError: float too large to pack with {c} format"),
    ("S_UNPACK_SIZE", 19, "unpack requires a buffer of {0} bytes"),
    ("S_UNPACK_FROM_SIZE", 20, "unpack_from requires a buffer of at least ..."),
    ("S_OFFSET_RANGE", 21, "offset {0} out of range for {1}-byte buffer"),
    ("S_NO_SPACE", 22, "no space to pack {0} bytes at offset {1}"),
    ("S_PACK_INTO_SIZE", 23, "pack_into requires a buffer of at least ..."),
    ("S_ITER_ZERO", 24, "cannot iteratively unpack with a struct of length 0"),
    ("S_ITER_MULTIPLE", 25, "iterative unpacking requires a buffer of a multiple of {0} bytes"),
    ("S_NOT_ENOUGH", 26, "not enough data to unpack {0} bytes at offset {1}"),
    ("S_PACK_INTO_COUNT", 27, "pack_into expected {0} items for packing (got {1})"),
    ("S_SYSTEM_NEGATIVE", 28, "SystemError: Negative size passed to PyBytes_FromStringAndSize"),
    ("S_NO_MEMORY", 29, "MemoryError: a compiled format larger than one core block"),
)

# ------------------------------------------------------------------------------ capabilities
# In bit order: the bit is the index. The name is what users read in NotAvailableError and pass
# to isAvailable(); `gates` lists the Python-level calls the core refuses without it
# ("socket.<method>" alone means every call of that method needs it, and makes
# socket.isAvailable(method) answer for the capability; a parenthesis says when).
CAPABILITIES = (
    ("CAP_SOCKET", "socket.create", ("socket()",)),
    ("CAP_BIND", "bind", ("socket.bind",)),
    ("CAP_CONNECT", "connect", ("socket.connect", "socket.connect_ex")),
    ("CAP_LISTEN", "listen", ("socket.listen",)),
    ("CAP_ACCEPT", "accept", ("socket.accept",)),
    ("CAP_SENDRECV", "sendrecv", ("socket.send", "socket.sendall", "socket.sendto", "socket.recv",
                                  "socket.recv_into", "socket.recvfrom", "socket.recvfrom_into")),
    ("CAP_SHUTDOWN", "shutdown", ("socket.shutdown",)),
    ("CAP_GETSOCKOPT", "getsockopt", ("socket.getsockopt", "socket(fileno=) (type or proto not given)")),
    ("CAP_SETSOCKOPT", "setsockopt", ("socket.setsockopt",)),
    ("CAP_NONBLOCKING", "nonblocking", ("socket.setblocking", "socket.settimeout")),
    ("CAP_POLL", "poll", ("socket.connect (with a timeout)", "socket.send* (with a timeout)",
                          "socket.recv* (with a timeout)")),
    ("CAP_FCNTL", "fcntl", ("fcntl.fcntl",)),
    ("CAP_IOCTL_POSIX", "ioctl.posix", ("fcntl.ioctl",)),
    ("CAP_IOCTL_WINDOWS", "ioctl.windows", ("socket.ioctl",)),
    ("CAP_AF_UNIX", "af_unix", ("socket() (AF_UNIX)",)),
    ("CAP_AF_INET6", "af_inet6", ("socket() (AF_INET6)",)),
    # The name service (bindings/host.ts's name_* imports): numeric hosts and ports need none.
    ("CAP_NAME_LOOKUP", "name_lookup", ("getaddrinfo() (a host or service name)", "gethostbyname()", "gethostbyname_ex()",
                                        "gethostbyaddr()", "getnameinfo()", "getservbyname()", "getservbyport()",
                                        "getprotobyname()", "if_nameindex()", "if_nametoindex()", "if_indextoname()",
                                        "socket.bind/connect/sendto (a host name)")),
    ("CAP_SOCKETPAIR", "socketpair", ("socketpair()",)),
    ("CAP_DUP", "dup", ("socket.dup", "fromfd()")),
    ("CAP_SOCKNAME", "sockname", ("socket.getsockname", "socket.getpeername", "socket(fileno=)", "fromfd()")),
    # Not a Python method: a JavaScript host's zero-copy data path (bindings/host.ts's *_js
    # imports); src/ asks once per core whether to lend buffers or copy through core memory.
    ("CAP_JS_BUFFERS", "js_buffers", ("(none: without it data goes through core memory)",)),
    # A host without getsockopt that can still tell an fd's socket type: WASI preview 1 reads it
    # from fd_fdstat_get's filetype, as wasi-libc's getsockopt(SO_TYPE) does. socket(fileno=)
    # asks it (HOST_getsockopt SOL_SOCKET/SO_TYPE, the one option such a host answers).
    ("CAP_SOTYPE", "sotype", ("(none: socket(fileno=) reads the fd's type with it when getsockopt is absent)",)),
    # sendmsg/recvmsg (bindings/host.ts's sendmsg block): scatter/gather data, addresses, flags
    # and SCM_RIGHTS. Python marks sendmsg "not WASI".
    ("CAP_SENDMSG", "sendmsg", ("socket.sendmsg", "socket.recvmsg", "socket.recvmsg_into")),
    # The kernel's own control messages beyond SCM_RIGHTS (SCM_CREDENTIALS, IP_PKTINFO,
    # IPV6_PKTINFO, IP_TTL, IP_TOS, ...): a host without it (the emulated network) refuses to
    # send them and never delivers them.
    ("CAP_ANCILLARY", "ancillary", ("socket.sendmsg (an ancillary item other than SOL_SOCKET/SCM_RIGHTS)",)),
)

# ------------------------------------------------------------------------------ option table
# The option table's columns (scripts/optiontable.py writes the rows; the core serves them
# through opt_* exports; src/options.ts reads them back).
LEVELS = {
    "IPPROTO_IP": 0,
    "SOL_SOCKET": 1,
    "IPPROTO_TCP": 6,
    "IPPROTO_UDP": 17,
    "IPPROTO_IPV6": 41,
}
# OPT_KIND: the index in KINDS.
KINDS = ("int", "bool", "struct", "string", "bytes")
# OPT_FLAGS bits.
OPTION_FLAGS = (
    ("OPT_GET", 1, "getsockopt is meaningful"),
    ("OPT_SET", 2, "setsockopt is meaningful"),
    ("OPT_PYTHON", 4, "exported by CPython 3.11's socket module"),
    ("OPT_PRIVILEGED", 8, "needs CAP_NET_ADMIN / CAP_NET_RAW"),
    ("OPT_ROUNDTRIP", 16, "has a set-then-get case in test/fixtures/sockopt-roundtrip.json"),
)
# OPT_FAMILIES bits: the sockets a row applies to.
FAMILY_BITS = {"inet": 1, "inet6": 2, "unix": 4, "stream": 8, "dgram": 16}

# ------------------------------------------------------------------------ struct value tape
# src/struct.ts writes one record per argument and reads one per result; the core's codec
# (assembly/struct/codec.ts) reads and writes the same records.
# A record: @0 u8 tag (T_*), @1 u8 Python truthiness, @4 i32 byte length, @8 payload,
# @16 low 64 bits of a T_BIGINT.
TAPE_REC = 24
# The largest block the core allocates for user input (assembly/alloc.ts): TLSF's
# BLOCK_MAXSIZE (1 GiB - 4) less room for rounding. src/struct.ts refuses a work area beyond it
# (MemoryError) before asking the core.
ALLOC_MAX = (1 << 30) - 4096
TAPE_TAGS = (
    ("T_INT", 0, "fits i64 (payload i64)"),
    ("T_UINT", 1, "2**63 <= v < 2**64 (payload u64)"),
    ("T_BIGINT", 2, "beyond 64 bits (payload: the nearest f64, inf if beyond; low 64 bits at +16)"),
    ("T_FLOAT", 3, "payload f64"),
    ("T_BYTES", 4, "len, payload = address"),
    ("T_OTHER", 5, "str, None, list, ...: not a number, not bytes"),
    ("T_NUM", 6, "a JS number, as it came (payload f64): classified by the core"),
)
# How unpack's results come back (st_kinds: one per item).
VALUE_KINDS = (
    ("K_NUM", 0, "f64"),
    ("K_BIG_S", 1, "i64 bits -> bigint"),
    ("K_BIG_U", 2, "u64 bits -> bigint"),
    ("K_BOOL", 3, "f64 0/1 -> boolean"),
    ("K_BYTES", 4, "i32 address, i32 length -> Uint8Array"),
    ("K_I32", 5, "i32 (b B h H i, standard l) -> number (a V8 small int)"),
    ("K_U32", 6, "u32 (I, standard L) -> number"),
)

# ------------------------------------------------------------------------------ ioctl kinds
# How fd_ioctl_buf treats a buffer argument (src/fcntl.ts picks it from the JS value).
IOCTL_MODES = (
    ("IOCTL_COPY", 0, "immutable (bytes, str) or mutate_flag false: the result is new bytes"),
    ("IOCTL_MUTATE", 1, "mutable with mutate_flag true: written back, the result is the int"),
)
# What option socket.ioctl's control takes (sock_ioctl_kind; src/socket.ts converts it).
WIN_OPTION_KINDS = (
    ("WIN_OPTION_UINT", 1, "PyArg 'I' (SIO_RCVALL, SIO_LOOPBACK_FAST_PATH)"),
    ("WIN_OPTION_TRIPLE", 2, "PyArg '(kkk)': struct tcp_keepalive"),
)

# ------------------------------------------------------------------ socket table, scratch areas
# sock_flags(h) bits (assembly/sockets.ts keeps them per socket; src/socket.ts reads F_CLOSED).
SOCKET_FLAGS = (
    ("F_USED", 1, "the slot holds a socket"),
    ("F_CLOSED", 2, "socket.py's _closed"),
    ("F_SHARED", 4, "Node uses the same open file description: never blocking"),
)
# core_layout(which): the scratch areas src/ reads and writes results through.
LAYOUT_AREAS = (
    ("L_OUT", 0, "SCR_OUT: results beyond one integer"),
    ("L_VAL", 1, "SCR_VAL: option values and staged arguments"),
    ("L_LEN", 2, "SCR_LEN: a socklen_t"),
    ("L_ADDR", 3, "SCR_ADDR: a sockaddr"),
    ("L_ADDRLEN", 4, "SCR_ADDRLEN: its length"),
    ("L_STR", 5, "SCR_STR: strings (host names, struct formats)"),
    ("L_VAL_SIZE", 6, "SCR_VAL's size in bytes"),
    ("L_POLICY", 7, "the policy request area (POLICY_REQUEST)"),
)

# ------------------------------------------------------------------------------ the policy
# A policy decision's use (the index is the code): the six address uses of allow(), then the
# protocol decision at socket creation and the option decision of setsockopt.
POLICY_USES = ("bind", "listen", "accept", "connect", "send", "receive", "socket", "setsockopt")
# The Python call a decision was made for (the index is the code): what audit hooks see as `api`.
POLICY_APIS = ("socket", "socketpair", "fromfd", "bind", "connect", "connect_ex", "listen", "accept",
               "sendto", "recv", "recv_into", "recvfrom", "recvfrom_into", "setsockopt",
               "sendmsg", "recvmsg", "recvmsg_into")
# Why the core decided as it did (src/policy.ts words each one).
POLICY_REASONS = (
    ("PR_ALLOWED", 0, "a rule allows it"),
    ("PR_PROTOCOL", 1, "the socket's protocol is not allowed"),
    ("PR_NO_RULE", 2, "no rule allows this use of the address"),
    ("PR_OPTION", 3, "the (level, option) pair is not allowed"),
    ("PR_BOUNDS", 4, "the value is outside the option's bounds"),
    ("PR_CHECK", 5, "the check callback refused (its reason is src/'s)"),
)
# The policy request area (core_layout(L_POLICY)): what the core decided about, for the check
# callback, the audit hook and the PermissionError. i32 fields at these byte offsets; f64 at
# Q_MIN/Q_MAX; the address text (an IP, or a unix path's bytes) from Q_TEXT, Q_TEXTLEN bytes.
POLICY_REQUEST = (
    ("Q_USE", 0, "POLICY_USES index"),
    ("Q_API", 4, "POLICY_APIS index"),
    ("Q_FAMILY", 8, "address family (socket, or the address's)"),
    ("Q_TYPE", 12, "socket type"),
    ("Q_PROTO", 16, "socket protocol"),
    ("Q_PORT", 20, "port, -1 for none"),
    ("Q_LEVEL", 24, "setsockopt level"),
    ("Q_OPTION", 28, "setsockopt option"),
    ("Q_VKIND", 32, "setsockopt value: 0 none, 1 int, 2 bytes, 3 NULL with optlen"),
    ("Q_VALUE", 36, "the int, or the bytes' address in core memory"),
    ("Q_VLEN", 40, "the bytes' length, or optlen"),
    ("Q_REASON", 44, "POLICY_REASONS code"),
    ("Q_IMPLICIT", 48, "1: an implicit bind (connect, sendto or listen on an unbound socket)"),
    ("Q_TEXTLEN", 52, "address text length, -1 for no address"),
    ("Q_MIN", 56, "f64: the option's lower bound"),
    ("Q_MAX", 64, "f64: the option's upper bound"),
    ("Q_TEXT", 72, "the address text (up to 128 bytes)"),
)
POLICY_REQUEST_SIZE = 200

# ------------------------------------------------------------------------- the name service
# assembly/names.ts answers getaddrinfo & co into its output area (nm_out()), one record per
# result; src/names.ts reads them. i32 fields at these byte offsets, the text from N_TEXT.
NAME_RECORD = (
    ("N_FAMILY", 0, "address family (or, for hostent/interface records, 0)"),
    ("N_TYPE", 4, "socket type"),
    ("N_PROTO", 8, "protocol"),
    ("N_PORT", 12, "port (host order)"),
    ("N_SCOPE", 16, "IPv6 scope id"),
    ("N_TEXTLEN", 20, "the text's length: an address, a name, an interface name"),
    ("N_TEXT", 24, "the text (up to 255 bytes: a DNS name is at most 253)"),
)
NAME_RECORD_SIZE = 288
NAME_RECORDS_MAX = 64

# -------------------------------------------------------------------- timeout argument kinds
# What a timeout argument is, as src/args.ts classifies the JS value (DESIGN.md's mapping).
TIMEOUT_ARGS = (
    ("ARG_NONE", 0, "None: blocking"),
    ("ARG_FLOAT", 1, "a non-integral number, NaN, +-Infinity, -0"),
    ("ARG_INT", 2, "an integral number or bigint within +-2**53 (value exact)"),
    ("ARG_BIG_INT", 3, "an int beyond that (always out of range here)"),
)

# ------------------------------------------------------------------- sendmsg / recvmsg
# The message header the core hands the host's sendmsg/recvmsg imports (bindings/host.ts): the
# LP64 struct msghdr with 32-bit pointers into core memory (u32 fields at these offsets);
# recvmsg writes M_NAMELEN, M_CONTROLLEN and M_FLAGS back. The iovecs at M_IOV are
# {u32 base, u32 len} pairs; the control buffer is in Linux x86-64's own cmsghdr layout
# (u64 cmsg_len, i32 level, i32 type, data at CMSG_HDR, items CMSG_ALIGN-aligned), which a
# Linux host passes to the kernel untouched.
MSGHDR = (
    ("M_NAME", 0, "sockaddr pointer, 0 for none"),
    ("M_NAMELEN", 4, "its length (recvmsg: room in, length out)"),
    ("M_IOV", 8, "iovec array pointer"),
    ("M_IOVLEN", 12, "how many iovecs"),
    ("M_CONTROL", 16, "control buffer pointer, 0 for none"),
    ("M_CONTROLLEN", 20, "its length (recvmsg: room in, length out)"),
    ("M_FLAGS", 24, "recvmsg: msg_flags out"),
)
MSGHDR_SIZE = 28
IOVEC_SIZE = 8
CMSG_HDR = 16      # CMSG_LEN(0) on x86-64 Linux: sizeof(struct cmsghdr)
CMSG_ALIGN = 8     # CMSG_ALIGN's unit: sizeof(size_t)
# What sock_recvmsg leaves in SCR_OUT (i32 slots) besides its result, and the record it writes
# for each control message found (RC_* byte offsets, RC_SIZE bytes each).
RECVMSG_OUT = (
    ("RM_DATA", 0, "where the data landed (core pointer)"),
    ("RM_FLAGS", 1, "msg_flags"),
    ("RM_NCMSG", 2, "control messages found"),
    ("RM_CMSGS", 3, "their records (core pointer)"),
    ("RM_WARN", 4, "1: CPython warns 'received malformed or improperly-truncated ancillary data'"),
)
CMSG_RECORD = (
    ("RC_LEVEL", 0, "cmsg_level"),
    ("RC_TYPE", 4, "cmsg_type"),
    ("RC_DATA", 8, "data pointer (core)"),
    ("RC_LEN", 12, "data length (what the buffer holds of it)"),
)
RC_SIZE = 16


def _check():
    """Names unique, codes unique within their group (a reused code would mean two messages)."""
    names = set()
    groups = (CORE_ERRORS, STRUCT_ERRORS, OPTION_FLAGS, TAPE_TAGS, VALUE_KINDS, IOCTL_MODES,
              WIN_OPTION_KINDS, TIMEOUT_ARGS, SOCKET_FLAGS, LAYOUT_AREAS, POLICY_REASONS, POLICY_REQUEST,
              NAME_RECORD, MSGHDR, RECVMSG_OUT, CMSG_RECORD)
    for g in groups:
        codes = [c for _, c, _ in g]
        assert len(codes) == len(set(codes)), g
        for n, _, _ in g:
            assert n not in names, n
            names.add(n)
    assert all(0 < c < E_NOT_AVAILABLE for _, c, _ in CORE_ERRORS)
    assert E_NOT_AVAILABLE + len(CAPABILITIES) < S_BASE - ERR_BASE
    assert len(CAPABILITIES) <= 31
    for n, cap, gates in CAPABILITIES:
        assert n not in names and gates, n
        names.add(n)
    assert len(POLICY_USES) <= 31 and len(set(POLICY_USES)) == len(POLICY_USES)
    assert len(set(POLICY_APIS)) == len(POLICY_APIS)
    assert max(o for _, o, _ in POLICY_REQUEST) + 128 <= POLICY_REQUEST_SIZE
    for n in CORE_ERRORS_WITH_DETAIL:
        assert any(n == e for e, _, _ in CORE_ERRORS), n


_check()
