#!/bin/sh
# Builds echo.wasm from echo.c with Debian's clang-14 and wasi-libc (apt-get install clang-14
# lld-14 wasi-libc libclang-rt-14-dev-wasm32). The committed echo.wasm is this script's
# output: CI rebuilds it and compares (test/wasi-p1-guest.test.ts runs the committed one).
# -O2, no debug info and a fixed -ffile-prefix-map keep the bytes the same on every machine
# with the same packages.
set -eu
cd "$(dirname "$0")"
out="${1:-echo.wasm}"
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -g0 -ffile-prefix-map="$(pwd)"=. \
  -fuse-ld=lld -Wl,--strip-all -o "$out" echo.c
