#!/usr/bin/env bash
# Runs every test: unit tests, tests that need root (real mounts, runc, conmon) and the end-to-end suite, which starts
# its own berthd on a private data root and drives it with the berth and docker CLIs. Needs root and ./setup.sh done.
set -euo pipefail
cd "$(dirname "$0")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ "$(id -u)" != 0 ]; then
    echo "test.sh: the tests need root (mounts, runc, conmon)" >&2
    exit 1
fi
MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow" exec mvn -Dtest.groups= verify "$@"
