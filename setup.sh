#!/usr/bin/env bash
# Sets up Berth on a Debian 12 machine: Debian packages, build, launchers, and a running berthd.
# Safe to run again: it rebuilds, reinstalls and restarts the daemon.
set -euo pipefail
cd "$(dirname "$0")"

JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ ! -x "$JAVA_HOME/bin/java" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
    echo "setup: JDK 25 is required; set JAVA_HOME to it (looked in $JAVA_HOME)" >&2
    exit 1
fi
export JAVA_HOME
PREFIX="${PREFIX:-/usr/local}"
LIB="$PREFIX/lib/berth"

packages=(runc crun conmon busybox-static uidmap iptables catatonit maven tar debootstrap netavark aardvark-dns docker-registry skopeo apache2-utils zstd)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
getent group berth >/dev/null || groupadd --system berth

echo "setup: building"
MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow" mvn -q -DskipTests package

echo "setup: installing into $LIB"
rm -rf "$LIB.new"
mkdir -p "$LIB.new/daemon" "$LIB.new/cli" "$LIB.new/registry"
cp daemon/target/berth-daemon-*.jar daemon/target/lib/*.jar "$LIB.new/daemon/"
cp cli/target/berth-cli-*.jar cli/target/lib/*.jar "$LIB.new/cli/"
cp registry/target/berth-registry-*.jar registry/target/lib/*.jar "$LIB.new/registry/"
rm -rf "$LIB" && mv "$LIB.new" "$LIB"
sed "s|@JAVA@|$JAVA_HOME/bin/java|g; s|@LIB@|$LIB|g" bin/berthd.in > "$PREFIX/bin/berthd"
sed "s|@JAVA@|$JAVA_HOME/bin/java|g; s|@LIB@|$LIB|g" bin/berth.in > "$PREFIX/bin/berth"
chmod 755 "$PREFIX/bin/berthd" "$PREFIX/bin/berth"

echo "setup: (re)starting berthd"
if [ -f /run/berth/berthd.pid ] && kill -0 "$(cat /run/berth/berthd.pid)" 2>/dev/null; then
    kill "$(cat /run/berth/berthd.pid)"
    for _ in $(seq 1 100); do kill -0 "$(cat /run/berth/berthd.pid)" 2>/dev/null || break; sleep 0.1; done
fi
mkdir -p /run/berth /var/log
nohup "$PREFIX/bin/berthd" >>/var/log/berthd.log 2>&1 &
echo $! > /run/berth/berthd.pid
for _ in $(seq 1 100); do
    if "$PREFIX/bin/berth" version >/dev/null 2>&1; then
        # The CLI starts a JVM per command: an AOT cache, recorded while everyday commands talk to the daemon, cuts
        # its start-up time. It also records a `run --rm` of a throwaway busybox image, removed afterwards.
        train_tar="$(mktemp)"
        train_image=""
        if contrib/busybox-rootfs.sh "$train_tar" >/dev/null 2>&1 \
                && "$PREFIX/bin/berth" import "$train_tar" berth-aot-training:latest >/dev/null 2>&1; then
            train_image=berth-aot-training
        fi
        "$PREFIX/bin/berth" --train-aot-cache $train_image >/dev/null 2>&1 || echo "setup: AOT cache not created; the CLI still works, more slowly"
        if [ -n "$train_image" ]; then
            "$PREFIX/bin/berth" rmi "$train_image" >/dev/null 2>&1 || true
        fi
        rm -f "$train_tar"
        echo "setup: berthd is running (pid $(cat /run/berth/berthd.pid)); try: berth version"
        exit 0
    fi
    sleep 0.2
done
echo "setup: berthd did not start; see /var/log/berthd.log" >&2
tail -20 /var/log/berthd.log >&2
exit 1
