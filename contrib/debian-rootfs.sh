#!/usr/bin/env bash
# Makes a Debian 12 (bookworm) minbase root filesystem tar with debootstrap, for
# `berth import debian-rootfs.tar debian:bookworm` (about 30 s and 150 MB; needs Debian's package mirror).
# Usage: contrib/debian-rootfs.sh [OUTPUT.tar] [MIRROR]   (default: debian-rootfs.tar, deb.debian.org)
set -euo pipefail
out="${1:-debian-rootfs.tar}"
mirror="${2:-http://deb.debian.org/debian}"
command -v debootstrap >/dev/null || { echo "debian-rootfs: debootstrap missing: apt-get install debootstrap" >&2; exit 1; }
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || {
    tail -20 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tmp="$out.tmp.$$"
tar --numeric-owner -C "$root" -cf "$tmp" .
mv "$tmp" "$out"
