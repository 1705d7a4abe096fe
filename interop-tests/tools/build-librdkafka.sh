#!/usr/bin/env bash
# Builds a current librdkafka (2.12.0) as a drop-in librdkafka.so.1 for Debian's kcat and
# python3-confluent-kafka, which are linked against Debian's librdkafka 2.0.2 (old SCRAM bug:
# doubled client nonce in client-final). Use it with LD_LIBRARY_PATH=<printed dir>.
#
# The source comes from the npm package node-rdkafka, which bundles librdkafka in
# deps/librdkafka (npm is one of the registries reachable here; the tarball's sha1 is pinned).
# Dependencies are Debian's (apt); configure never downloads anything.
#
# Output: ${TRIBUTARY_CACHE:-$HOME/.cache/tributary}/librdkafka-<version>/lib/librdkafka.so.1
# Idempotent: when that file exists it only prints the directory. The last line of stdout is
# always the lib directory; build chatter goes to stderr.
set -euo pipefail

NODE_RDKAFKA_VERSION=3.6.1
NODE_RDKAFKA_SHA1=164357f08ff23a4722e89bfb3b2b09481c1e8cc1
LIBRDKAFKA_VERSION=2.12.0
# RD_KAFKA_VERSION in src/rdkafka.h for 2.12.0 (final release).
LIBRDKAFKA_HEX=0x020c00ff

CACHE_ROOT=${TRIBUTARY_CACHE:-$HOME/.cache/tributary}
PREFIX=$CACHE_ROOT/librdkafka-$LIBRDKAFKA_VERSION
LIBDIR=$PREFIX/lib
JOBS=${JOBS:-2}

if [[ -f $LIBDIR/librdkafka.so.1 ]]; then
    echo "$LIBDIR"
    exit 0
fi

mkdir -p "$CACHE_ROOT"
# One build at a time (a test and a shell may race); the loser finds the library afterwards.
exec 9>"$CACHE_ROOT/.librdkafka-$LIBRDKAFKA_VERSION.lock"
flock 9
if [[ -f $LIBDIR/librdkafka.so.1 ]]; then
    echo "$LIBDIR"
    exit 0
fi

started=$SECONDS

# --- build dependencies (Debian packages) -----------------------------------------------------
packages=(build-essential pkg-config python3 libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev
    libcurl4-openssl-dev)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
        missing+=("$p")
    fi
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]} > 0)); then
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        sudo=(sudo -n)
    fi
    export DEBIAN_FRONTEND=noninteractive
    echo "build-librdkafka: installing ${missing[*]} with apt-get" >&2
    if ! ${sudo[@]+"${sudo[@]}"} apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2; then
        ${sudo[@]+"${sudo[@]}"} apt-get update -q </dev/null >&2
        ${sudo[@]+"${sudo[@]}"} apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2
    fi
fi

# --- source -----------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/build-librdkafka.XXXXXX")
trap 'rm -rf "$work"' EXIT
staging=$PREFIX.partial.$$
trap 'rm -rf "$work" "$staging"' EXIT

echo "build-librdkafka: fetching node-rdkafka@$NODE_RDKAFKA_VERSION (librdkafka $LIBRDKAFKA_VERSION)" >&2
(cd "$work" && npm pack --silent "node-rdkafka@$NODE_RDKAFKA_VERSION" >/dev/null </dev/null)
tarball=$work/node-rdkafka-$NODE_RDKAFKA_VERSION.tgz
actual_sha1=$(sha1sum "$tarball" | cut -d' ' -f1)
if [[ $actual_sha1 != "$NODE_RDKAFKA_SHA1" ]]; then
    echo "build-librdkafka: $tarball has sha1 $actual_sha1, expected $NODE_RDKAFKA_SHA1" >&2
    exit 1
fi
tar -xzf "$tarball" -C "$work" package/deps/librdkafka
src=$work/package/deps/librdkafka
if ! grep -q "^#define RD_KAFKA_VERSION *$LIBRDKAFKA_HEX" "$src/src/rdkafka.h"; then
    echo "build-librdkafka: $src/src/rdkafka.h is not librdkafka $LIBRDKAFKA_VERSION ($LIBRDKAFKA_HEX)" >&2
    exit 1
fi

# --- configure, build, install ----------------------------------------------------------------
# Every feature is required (--enable-X fails when missing rather than silently dropping it) and
# comes from system libraries: no --install-deps / source deps, and --no-download keeps mklove
# from fetching modules. The C library only: kcat and confluent_kafka need nothing else.
cd "$src"
echo "build-librdkafka: configuring" >&2
./configure --prefix="$PREFIX" --no-download \
    --enable-ssl --enable-gssapi --enable-zlib --enable-zstd --enable-lz4-ext --enable-curl \
    --enable-regex-ext >&2
echo "build-librdkafka: compiling with make -j$JOBS" >&2
make -j"$JOBS" -C src >&2
make -C src install DESTDIR="$staging" >&2

# DESTDIR install keeps a half-built tree out of $PREFIX; move it in place in one step.
rm -rf "$PREFIX"
mv "$staging$PREFIX" "$PREFIX"
test -f "$LIBDIR/librdkafka.so.1"
echo "build-librdkafka: built $LIBDIR/librdkafka.so.1 in $((SECONDS - started)) s" >&2
echo "$LIBDIR"
