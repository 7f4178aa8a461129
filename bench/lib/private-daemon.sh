# Sourced by benchmarks: starts a berthd built from this checkout (`mvn -DskipTests package` first) on a private data
# root, exec root and socket, so the machine's own daemon and its data are never touched. Defines:
#   berth ...      the CLI of this checkout against the private daemon
#   DOCKER_HOST    pointing at the private daemon, for the docker CLI
#   BERTHD_PID     the daemon's pid
#   stop_daemon    removes every container, stops the daemon, deletes its directories
# Needs root. The busybox image is imported on first use.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
bench_root="$(mktemp -d /var/tmp/berth-bench.XXXXXX)"
bench_exec="/run/bb$$"
mkdir -p "$bench_exec"
export DOCKER_HOST="unix://$bench_exec/berth.sock"
jvm=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)

berth() {
    LC_ALL=C.UTF-8 "$java" "${jvm[@]}" -cp "$here/cli/target/*:$here/cli/target/lib/*" dev.berth.cli.Main -H "$DOCKER_HOST" "$@"
}

start_daemon() {
    LC_ALL=C.UTF-8 "$java" "${jvm[@]}" -XX:MaxRAMPercentage=10 -cp "$here/daemon/target/*:$here/daemon/target/lib/*" \
        dev.berth.daemon.Berthd --config-file "${BERTHD_CONFIG:-/nonexistent/daemon.json}" \
        --data-root "$bench_root/data" --exec-root "$bench_exec" -H "$DOCKER_HOST" >>"$bench_root/berthd.log" 2>&1 &
    BERTHD_PID=$!
    for _ in $(seq 1 300); do
        if [ -S "$bench_exec/berth.sock" ] && docker version >/dev/null 2>&1; then
            break
        fi
        sleep 0.1
    done
    if ! berth image inspect busybox >/dev/null 2>&1; then
        "$here/contrib/busybox-rootfs.sh" "$bench_root/busybox.tar"
        berth import "$bench_root/busybox.tar" busybox:latest >/dev/null
    fi
}

stop_daemon() {
    local ids
    ids=$(docker ps -aq 2>/dev/null || true)
    if [ -n "$ids" ]; then
        # shellcheck disable=SC2086
        docker rm -f $ids >/dev/null 2>&1 || true
    fi
    kill "$BERTHD_PID" 2>/dev/null || true
    wait "$BERTHD_PID" 2>/dev/null || true
    rm -rf "$bench_exec" "$bench_root"
}
