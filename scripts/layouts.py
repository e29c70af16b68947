"""C layouts of socket-option values (x86_64 Linux): the one description of each struct.

Each entry names a C type and lists its fields as `name:code` items in layout order, in the
mini-language of src/decoders.ts (Layout): a code is a struct code ('I', '4x', '80s') or a
pseudo-code (in4, in6, be16, be32, ss, sin6, z64, xaddr: bytes with a conversion);
`a/4,b/4:B` splits a bitfield word from bit 0 up; dotted names nest; `_` is padding.
`prefix`: the kernel copies min(buflen, sizeof), so a short buffer decodes the fields wholly
present. `scalar`: the value is the one field, not an object.

Read by scripts/gen_contract.py (src/generated/layouts.ts, which src/decoders.ts builds its
decoders from), scripts/optiontable.py (the struct format of every struct-valued row is derived
from its decoder's layout) and scripts/gen_struct_decoders.py (CPython's decoding of the same
layouts, the oracle). Sizes are checked against offsetof() in the uapi headers (SIZES below).
"""
from __future__ import annotations

import re
import struct

# Pseudo-codes: the struct code each stands for (the conversions live with each decoder).
PSEUDO_CODES = {"in4": "4s", "in6": "16s", "be16": "2s", "be32": "4s", "ss": "128s", "sin6": "28s",
                "z64": "64s", "xaddr": "16s"}

_XFRM = ("sel.daddr:xaddr sel.saddr:xaddr sel.dport:be16 sel.dport_mask:be16 sel.sport:be16 sel.sport_mask:be16 "
         "sel.family:H sel.prefixlen_d:B sel.prefixlen_s:B sel.proto:B sel.ifindex:i sel.user:I "
         + " ".join(f"lft.{f}:Q" for f in ("soft_byte_limit", "hard_byte_limit", "soft_packet_limit",
                                           "hard_packet_limit", "soft_add_expires_seconds",
                                           "hard_add_expires_seconds", "soft_use_expires_seconds",
                                           "hard_use_expires_seconds"))
         + " curlft.bytes:Q curlft.packets:Q curlft.add_time:Q curlft.use_time:Q"
         " priority:I index:I dir:B action:B flags:B share:B _:4x")


def _l(ctype, spec, order="@", **opts):
    return {"ctype": ctype, "order": order, "spec": " ".join(spec.split()), **opts}


LAYOUTS = {
    "linger": _l("struct linger", "onoff:i linger:i"),
    "timeval": _l("struct timeval", "sec:l usec:l"),
    "ucred": _l("struct ucred", "pid:i uid:I gid:I"),
    "u64": _l("__u64", "value:Q", scalar=True),
    "meminfo": _l("u32[SK_MEMINFO_VARS]", "rmem_alloc:I rcvbuf:I wmem_alloc:I sndbuf:I fwd_alloc:I "
                  "wmem_queued:I optmem:I backlog:I drops:I"),
    "in_addr": _l("struct in_addr", "addr:in4", scalar=True),
    "tcp_info": _l("struct tcp_info", """state:B ca_state:B retransmits:B probes:B backoff:B options:B
  snd_wscale/4,rcv_wscale/4:B delivery_rate_app_limited/1,fastopen_client_fail/2:B
  rto:I ato:I snd_mss:I rcv_mss:I unacked:I sacked:I lost:I retrans:I fackets:I
  last_data_sent:I last_ack_sent:I last_data_recv:I last_ack_recv:I pmtu:I rcv_ssthresh:I rtt:I
  rttvar:I snd_ssthresh:I snd_cwnd:I advmss:I reordering:I rcv_rtt:I rcv_space:I total_retrans:I
  pacing_rate:Q max_pacing_rate:Q bytes_acked:Q bytes_received:Q segs_out:I segs_in:I
  notsent_bytes:I min_rtt:I data_segs_in:I data_segs_out:I delivery_rate:Q busy_time:Q
  rwnd_limited:Q sndbuf_limited:Q delivered:I delivered_ce:I bytes_sent:Q bytes_retrans:Q
  dsack_dups:I reord_seen:I rcv_ooopack:I snd_wnd:I rcv_wnd:I rehash:I total_rto:H
  total_rto_recoveries:H total_rto_time:I received_ce:I delivered_e1_bytes:I delivered_e0_bytes:I
  delivered_ce_bytes:I received_e1_bytes:I received_e0_bytes:I received_ce_bytes:I
  accecn_fail_mode:H accecn_opt_seen:H""", order="=", prefix=True),
    "tcp_bbr_info": _l("struct tcp_bbr_info", "bw_lo:I bw_hi:I min_rtt:I pacing_gain:I cwnd_gain:I"),
    "ip_mreq": _l("struct ip_mreq", "multiaddr:in4 interface:in4"),
    "ip_mreqn": _l("struct ip_mreqn", "multiaddr:in4 address:in4 ifindex:i"),
    "ip_mreq_source": _l("struct ip_mreq_source", "multiaddr:in4 interface:in4 sourceaddr:in4"),
    "ipv6_mreq": _l("struct ipv6_mreq", "multiaddr:in6 interface:I"),
    "in_pktinfo": _l("struct in_pktinfo", "ifindex:i spec_dst:in4 addr:in4"),
    "in6_pktinfo": _l("struct in6_pktinfo", "addr:in6 ifindex:I"),
    "so_timestamping": _l("struct so_timestamping", "flags:i bind_phc:i"),
    "sock_txtime": _l("struct sock_txtime", "clockid:i flags:I"),
    "sock_fprog": _l("struct sock_fprog", "len:H filter:P"),
    "sock_filter": _l("struct sock_filter", "code:H jt:B jf:B k:I"),
    "dmabuf_token": _l("struct dmabuf_token", "token_start:I token_count:I"),
    "gid": _l("gid_t", "gid:I", scalar=True),
    "sockaddr_in": _l("struct sockaddr_in", "family:H port:2s addr:4s _:8x"),
    "sockaddr_in6": _l("struct sockaddr_in6", "family:H port:2s flowinfo:I addr:16s scope_id:I"),
    "ip6_mtuinfo": _l("struct ip6_mtuinfo", "addr:sin6 mtu:I"),
    "group_req": _l("struct group_req", "interface:I _:4x group:ss"),
    "group_source_req": _l("struct group_source_req", "interface:I _:4x group:ss source:ss"),
    "group_filter": _l("struct group_filter", "interface:I _:4x group:ss fmode:I numsrc:I"),
    "sockaddr_storage": _l("struct sockaddr_storage", "addr:ss", scalar=True),
    "ip_msfilter": _l("struct ip_msfilter", "multiaddr:in4 interface:in4 fmode:I numsrc:I"),
    "in6_flowlabel_req": _l("struct in6_flowlabel_req", "dst:in6 label:be32 action:B share:B flags:H expires:H linger:H _:4x"),
    "tcp_md5sig": _l("struct tcp_md5sig", "addr:ss flags:B prefixlen:B keylen:H ifindex:i key:80s"),
    "tcp_repair_opt": _l("struct tcp_repair_opt", "opt_code:I opt_val:I"),
    "tcp_repair_window": _l("struct tcp_repair_window", "snd_wl1:I snd_wnd:I max_window:I rcv_wnd:I rcv_wup:I"),
    "tcp_zerocopy_receive": _l("struct tcp_zerocopy_receive", "address:Q length:I recv_skip_hint:I inq:I err:i "
                               "copybuf_address:Q copybuf_len:i flags:I msg_control:Q msg_controllen:Q msg_flags:I reserved:I"),
    # TCP-AO (include/uapi/linux/tcp.h, 6.7+).
    "tcp_ao_add": _l("struct tcp_ao_add", "addr:ss alg_name:z64 ifindex:i set_current/1,set_rnext/1,reserved/30:I "
                     "reserved2:H prefix:B sndid:B rcvid:B maclen:B keyflags:B keylen:B key:80s"),
    "tcp_ao_del": _l("struct tcp_ao_del", "addr:ss ifindex:i set_current/1,set_rnext/1,del_async/1,reserved/29:I "
                     "reserved2:H prefix:B sndid:B rcvid:B current_key:B rnext:B keyflags:B"),
    "tcp_ao_info_opt": _l("struct tcp_ao_info_opt", "set_current/1,set_rnext/1,ao_required/1,set_counters/1,accept_icmps/1,"
                          "reserved/27:I reserved2:H current_key:B rnext:B pkt_good:Q pkt_bad:Q "
                          "pkt_key_not_found:Q pkt_ao_required:Q pkt_dropped_icmp:Q"),
    "tcp_ao_getsockopt": _l("struct tcp_ao_getsockopt", "addr:ss alg_name:z64 key:80s nkeys:I "
                            "is_current/1,is_rnext/1,get_all/1,reserved/13:H sndid:B rcvid:B prefix:B "
                            "maclen:B keyflags:B keylen:B ifindex:i pkt_good:Q pkt_bad:Q"),
    "tcp_ao_repair": _l("struct tcp_ao_repair", "snt_isn:be32 rcv_isn:be32 snd_sne:I rcv_sne:I"),
    "xfrm_userpolicy_info": _l("struct xfrm_userpolicy_info", _XFRM),
    # cmsg buffers (IP_PKTOPTIONS): the header, and the payloads decoded by (level, type).
    "cmsghdr": _l("struct cmsghdr", "len:Q level:i type:i"),
    "int": _l("int", "value:i", scalar=True),
    "u8": _l("u8", "value:B", scalar=True),
}

# C sizes (x86_64; checked with offsetof against the 6.1 uapi headers where they have the
# struct, and against include/uapi/linux/tcp.h of 6.18 for TCP-AO and tcp_info).
SIZES = {"in6_flowlabel_req": 32, "tcp_md5sig": 216, "tcp_zerocopy_receive": 64, "group_req": 136,
         "group_source_req": 264, "xfrm_userpolicy_info": 168, "sock_fprog": 16, "ip6_mtuinfo": 32,
         "tcp_ao_add": 288, "tcp_ao_del": 144, "tcp_ao_info_opt": 48, "tcp_ao_getsockopt": 304,
         "tcp_ao_repair": 16, "in_pktinfo": 12, "ip_mreq_source": 12, "ip_mreqn": 12, "tcp_info": 280,
         "sockaddr_in": 16, "sockaddr_in6": 28, "cmsghdr": 16}


def items(name):
    """[(names, struct code, pseudo-code or None)] of a layout."""
    out = []
    for item in LAYOUTS[name]["spec"].split():
        names, code = item.rsplit(":", 1)
        out.append((names.split(","), PSEUDO_CODES.get(code, code), code if code in PSEUDO_CODES else None))
    return out


def full_format(name):
    """The struct format of a layout, one code per item (what the decoders compile)."""
    return LAYOUTS[name]["order"] + "".join(c for _, c, _ in items(name))


def size(name):
    return struct.calcsize(full_format(name))


def row_format(name):
    """The option table's format for a layout, as a Python user would write it for struct.unpack:
    runs of one code folded ('IIII' -> '4I') beyond three fields, native order left implicit."""
    codes = []
    for _, c, _ in items(name):
        m = re.fullmatch(r"(\d*)(\D)", c)
        n, ch = int(m.group(1) or 1), m.group(2)
        if ch in "sp" or ch == "x":
            codes.append((f"{n}{ch}", 1, ch if ch == "x" else None))  # counts of s/x are sizes, not repeats
        else:
            codes.append((ch, n, ch))
    out, i = [], 0
    while i < len(codes):
        text, n, key = codes[i]
        j = i + 1
        while key is not None and key != "x" and j < len(codes) and codes[j][2] == key:
            n += codes[j][1]
            j += 1
        # Runs are counted ('9I', tcp_info's '2Q'); a struct of up to three fields is spelled
        # out ('ii', 'iII'), as one writes it for struct.unpack.
        fold = n > 1 and len(codes) > 3
        out.append(text if key is None or key == "x" else (f"{n}{key}" if fold else key * n))
        i = j
    order = LAYOUTS[name]["order"]
    return ("" if order == "@" else order) + "".join(out)


for _n, _size in SIZES.items():
    assert size(_n) == _size, (_n, size(_n), _size)
for _n in LAYOUTS:
    assert struct.calcsize(row_format(_n)) == size(_n), _n
