#!/bin/sh
# Fetch CPython's own test suite (and, with --native, a matching native CPython) from Debian
# into a cache, without touching the machine's apt sources: a private apt configuration names
# the suite, so the same files come on any machine with Debian's archive keyring.
# (A copy of the session's shared/tools/cpython-testsuite.sh, with the Debian suite as an option:
# 3.11 comes from bookworm, 3.14 from sid.)
#
#   scripts/conformance/cpython-testsuite.sh [--version 3.14] [--suite sid] [--native] [--cache DIR]
#
# Prints two lines:  TESTS=<dir holding test/ (test_socket.py, support/ …)>
#                    PYTHON=<path of a runnable native pythonX.Y>   (only with --native)
# The native interpreter runs through its own loader and libc from the same suite, so it
# needs nothing installed. Idempotent: a filled cache is reused.
set -eu
ver=3.14; suite=; native=0; cache=${CPYTHON_TESTSUITE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cpython-testsuite}
while [ $# -gt 0 ]; do
  case $1 in
    --version) ver=$2; shift 2 ;;
    --suite) suite=$2; shift 2 ;;
    --native) native=1; shift ;;
    --cache) cache=$2; shift 2 ;;
    *) echo "usage: $0 [--version 3.14] [--suite sid] [--native] [--cache DIR]" >&2; exit 2 ;;
  esac
done
[ -n "$suite" ] || case $ver in 3.11) suite=bookworm ;; *) suite=sid ;; esac
d=$cache/$ver-$suite
apt="$d/apt"
opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$apt/parts -o Dir::State::Lists=$apt/lists -o Dir::Cache=$apt/cache -o Debug::NoLocking=1 -o APT::Sandbox::User=root"
pkgs="libpython$ver-testsuite libpython$ver-stdlib libpython$ver-minimal"
# (bookworm's names for two of the libraries differ from sid's)
case $suite in bookworm) ssl=libssl3; mpdec= ;; *) ssl=libssl3t64; mpdec=libmpdec4 ;; esac
[ $native = 1 ] && pkgs="$pkgs python$ver-minimal libc6 libexpat1 zlib1g $ssl libffi8 libbz2-1.0 liblzma5 libzstd1 $mpdec libcrypt1 libgcc-s1 libuuid1"
stamp="$d/.done-$(echo "$pkgs" | cksum | cut -d' ' -f1)"
if [ ! -e "$stamp" ]; then
  mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial" "$d/debs" "$d/root"
  cat > "$apt/parts/$suite.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  # A stable suite's newest builds may be in its security suite only.
  [ "$suite" = sid ] || cat > "$apt/parts/$suite-security.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  echo "cpython-testsuite: fetching $pkgs ($suite)" >&2
  apt-get $opts -qq update >&2 || { echo "cpython-testsuite: apt-get update failed (Debian's package index unreachable?)" >&2; exit 1; }
  (cd "$d/debs" && apt-get $opts -qq download $pkgs >&2) || { echo "cpython-testsuite: download failed: $pkgs" >&2; exit 1; }
  for f in "$d"/debs/*.deb; do dpkg-deb -x "$f" "$d/root"; done
  touch "$stamp"
fi
lib="$d/root/usr/lib/python$ver"
[ -f "$lib/test/test_socket.py" ] || { echo "cpython-testsuite: $lib/test/test_socket.py missing" >&2; exit 1; }
echo "TESTS=$lib"
if [ $native = 1 ]; then
  # sid's packages put libraries in /usr/lib, bookworm's libc in /lib.
  so="$d/root/usr/lib/x86_64-linux-gnu"; ld="$so/ld-linux-x86-64.so.2"
  [ -e "$ld" ] || ld="$d/root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
  cat > "$d/python$ver" <<RUN
#!/bin/sh
PYTHONHOME="$d/root/usr" exec "$ld" --library-path "$so:$d/root/lib/x86_64-linux-gnu" "$d/root/usr/bin/python$ver" "\$@"
RUN
  chmod +x "$d/python$ver"
  "$d/python$ver" -c 'import socket, sys; assert sys.version_info[:2] == tuple(map(int, "'"$ver"'".split(".")))' \
    || { echo "cpython-testsuite: the native python$ver does not start" >&2; exit 1; }
  echo "PYTHON=$d/python$ver"
fi
