#!/usr/bin/env bash
# Cluster mode benchmark (issue 17): the cost of cluster mode per request. One JVM (cheaper than
# five on two shared CPUs) runs a fast fake Ollama, gateway A (single process, in-memory state) and
# gateways B1..B3 (each on its own clustered Vertx: Hazelcast over TCP on 127.0.0.1, a random
# cluster name, free ports), then non-streamed /api/chat at concurrency 1 and at a fixed rate
# against A and B (round robin over the three) in interleaved rounds. Writes
# results/cluster-<stamp>.{jsonl,md} (and the two YAML files it used). About 6 minutes with the
# defaults; stops by itself.
#
# Environment: ROUNDS (5), MEASURE_S (10), WARM_MIN_S (10), WARM_MAX_S (40), RATE (200),
# OTHERS_MAX (25: % of the machine other processes may use before a run counts as disturbed),
# XMX (1g), SKIP_BUILD=1 (use target/classes and target/cp.txt as they are).
set -euo pipefail
cd "$(dirname "$0")"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=results/cluster-$STAMP

# The build never installs: the library's own classes (../target/classes) replace the core-llm jar
# on the classpath, so a run from one worktree neither reads nor overwrites another's ~/.m2 copy.
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q -o -f ../pom.xml compile -Dspotless.check.skip=true
  mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
  sed -i "s#[^:]*/core-llm-0.1.0-SNAPSHOT\.jar#$(cd .. && pwd)/target/classes#" target/cp.txt
  mkdir -p target/classes
  # javac rather than mvn compile, which would compile against the jar in ~/.m2
  javac --release 17 -encoding UTF-8 -nowarn -d target/classes -cp "$(cat target/cp.txt)" \
    $(find src/main/java -name '*.java')
fi
CP="target/classes:$(cat target/cp.txt)"
mkdir -p results
echo "nproc $(nproc), loadavg $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
timeout 900 java -Xmx"${XMX:-1g}" -Xms256m -Djava.net.preferIPv4Stack=true -cp "$CP" \
  corellm.bench.ClusterBench \
  --rounds "${ROUNDS:-5}" --measure-s "${MEASURE_S:-10}" --warm-min-s "${WARM_MIN_S:-10}" \
  --warm-max-s "${WARM_MAX_S:-40}" --rate "${RATE:-200}" --others-max "${OTHERS_MAX:-25}" \
  --stamp "$STAMP" --out-dir results --jsonl "$OUT.jsonl" --md "$OUT.md" 2> "$OUT.log"
echo "wrote $OUT.jsonl and $OUT.md (stderr in $OUT.log)"
