#!/usr/bin/env bash
# Gateway benchmark: overhead of `llm serve` against calling the back end directly. Builds the
# library and the bench, then starts four JVMs on loopback: FastOllamaServer (non-streamed chat,
# unpaced streams), PacedOllamaServer (token-paced streams), the gateway exactly as users start it
# (../llm serve, over a YAML naming the two fakes) and the load generator (GatewayBench), which
# writes results/gateway-<stamp>.{jsonl,md}. Stops everything it started on exit. About 16 minutes.
#
# Environment: ROUNDS (5), MEASURE_S (10), WARM_MIN_S (10), WARM_MAX_S (30), RATES (500,1000,2000),
# STREAMS (2000), PHASES (unary,streams,tps,ttft), FAST_PORT (11445), PACED_PORT (11446),
# GW_PORT (11447), GW_JAVA_OPTS (extra JVM flags for the gateway, e.g. a JFR recording), OTHERS_MAX (25: % of the machine other processes may use before a round counts
# as disturbed), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")"

FAST_PORT=${FAST_PORT:-11445}
PACED_PORT=${PACED_PORT:-11446}
GW_PORT=${GW_PORT:-11447}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=results/gateway-$STAMP

if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -f ../pom.xml -B -q -o install -DskipTests -Dmaven.javadoc.skip=true -Dspotless.check.skip=true
  mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
fi
CP="target/classes:$(cat target/cp.txt)"
mkdir -p results

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  # the request log has a line per request (a million in a run): keep its start and end only
  if [[ -f "$OUT-serve.log" ]]; then
    { head -20 "$OUT-serve.log"; echo "..."; tail -12 "$OUT-serve.log"; } > "$OUT-serve.log.short"
    mv "$OUT-serve.log.short" "$OUT-serve.log"
  fi
}
trap cleanup EXIT

wait_for() { # file, what to wait for
  for _ in $(seq 1 150); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$1: no '$2' after 30 s"; cat "$1"; exit 1
}

java -Xmx512m -cp "$CP" corellm.bench.FastOllamaServer --slices --port "$FAST_PORT" > "$OUT-fast.log" 2>&1 &
PIDS+=($!); FAST_PID=$!
java -Xmx512m -cp "$CP" corellm.bench.PacedOllamaServer --port "$PACED_PORT" > "$OUT-paced.log" 2>&1 &
PIDS+=($!); PACED_PID=$!
wait_for "$OUT-fast.log" listening
wait_for "$OUT-paced.log" listening

# The paced provider gets a pool as large as the stream count: a stream holds a connection, and the
# default pool (64) would queue 2,000 streams instead of running them at once.
cat > "$OUT-llm.yaml" <<EOF
defaultProvider: fast
providers:
  - name: fast
    type: ollama
    baseUrl: http://127.0.0.1:$FAST_PORT
    models: [llama3.2:1b]
  - name: paced
    type: ollama
    baseUrl: http://127.0.0.1:$PACED_PORT
    models: [paced-t200-i50-f20, paced-t5-i10-f20]
    http:
      maxPoolSize: $(( ${STREAMS:-2000} + 100 ))
EOF
# ../llm serve execs the JVM, so this pid is the gateway's JVM
env ${GW_JAVA_OPTS:+JDK_JAVA_OPTIONS="$GW_JAVA_OPTS"} ../llm serve --config "$OUT-llm.yaml" --port "$GW_PORT" > "$OUT-serve.log" 2>&1 &
PIDS+=($!); GW_PID=$!
wait_for "$OUT-serve.log" "listening on"

echo "nproc $(nproc), loadavg $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
timeout 1800 java -Xmx1g -Xms256m -cp "$CP" corellm.bench.GatewayBench \
  --direct "127.0.0.1:$FAST_PORT" --paced "127.0.0.1:$PACED_PORT" --gateway "127.0.0.1:$GW_PORT" \
  --gateway-pid "$GW_PID" --server-pids "$FAST_PID,$PACED_PID" \
  --rounds "${ROUNDS:-5}" --measure-s "${MEASURE_S:-10}" --warm-min-s "${WARM_MIN_S:-10}" \
  --warm-max-s "${WARM_MAX_S:-30}" --rates "${RATES:-500,1000,2000}" --streams "${STREAMS:-2000}" \
  --phases "${PHASES:-unary,streams,tps,ttft}" --others-max "${OTHERS_MAX:-25}" \
  --stamp "$STAMP" --jsonl "$OUT.jsonl" --md "$OUT.md"
echo "wrote $OUT.jsonl and $OUT.md"
