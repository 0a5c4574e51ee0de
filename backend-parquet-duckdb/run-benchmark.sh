#!/usr/bin/env bash
# Runs the parquet-duckdb JMH benchmark (src/test/java/.../ParquetDuckdbBenchmark.java).
# Usage: backend-parquet-duckdb/run-benchmark.sh [JMH options], e.g. -p volume=gt_bodies pointsLargest
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cp_file="$here/target/benchmark.classpath"
"$root/scripts/mvn" -B -ntp -o -q test-compile dependency:build-classpath -pl backend-parquet-duckdb -am \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
JAVA_HOME=$("$root/scripts/find-jdk")
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Dpocaduck.shared.data="$root/../shared/data" \
    -cp "$here/target/test-classes:$here/target/classes:$(cat "$cp_file")" \
    org.openjdk.jmh.Main ParquetDuckdbBenchmark "$@"
