#!/usr/bin/env bash
# Builds the library and the benchmark, starts the fake Ollama in its own JVM on a loopback port,
# runs every client x scenario in its own JVM (same -Xmx for all), ROUNDS times, interleaved so
# that drift hits every client alike, then writes medians to results/. Stops the server on exit.
#
# Environment: ROUNDS (3), CLIENTS, SCENARIOS, PORT (11435), XMX (1g),
# LOAD_WAIT (seconds to wait before each JVM for the machine to be quiet: other processes using
# less than BUSY_MAX % (25) of the CPUs; 0 = don't wait), WAIT_UNTIL (epoch seconds after which
# nobody waits any more),
# SKIP_BUILD=1, QUICK=1 (short loops, a smoke test), JVM_PROPS (extra -D flags for every client JVM,
# e.g. "-Dbench.s2.warmSeconds=10 -Dbench.s2.warmCount=60000 -Dbench.s2.seconds=8" for a steady state).
set -euo pipefail
cd "$(dirname "$0")"

ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-"raw-vertx core-llm langchain4j spring-ai ollama4j"}
SCENARIOS=${SCENARIOS:-"s1 s2c1 s2c64 s3 s4"}
PORT=${PORT:-11435}
XMX=${XMX:-1g}
LOAD_WAIT=${LOAD_WAIT:-30}
WAIT_UNTIL=${WAIT_UNTIL:-0}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=results/raw-$STAMP.jsonl

if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q -f ../pom.xml install -DskipTests
  mvn -B -q package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
fi
CP="target/classes:$(cat target/cp.txt)"
mkdir -p results

java -Xmx512m -cp "$CP" corellm.bench.FastOllamaServer --port "$PORT" > "results/server-$STAMP.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  grep -q listening "results/server-$STAMP.log" && break
  sleep 0.2
done
grep -q listening "results/server-$STAMP.log" || { echo "server did not start"; cat "results/server-$STAMP.log"; exit 1; }

# CPU busy % of the whole machine over 2 s, taken while none of our client JVMs runs (the server is
# idle then), so it measures the other users of the machine. The 1-minute load average cannot be
# used as the gate between our own JVMs: it still holds our previous JVM for a minute.
busy_percent() {
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) ))
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

BUSY_MAX=${BUSY_MAX:-25}
wait_for_quiet() {
  local waited=0
  while (( waited < LOAD_WAIT )); do
    (( WAIT_UNTIL > 0 && $(date +%s) > WAIT_UNTIL )) && break
    BUSY=$(busy_percent)
    (( BUSY < BUSY_MAX )) && return 0
    sleep 3
    waited=$((waited + 5))
  done
  BUSY=$(busy_percent)
}

{
  echo "date: $STAMP"
  echo "nproc: $(nproc)"
  grep MemTotal /proc/meminfo
  java -version 2>&1 | head -2
  echo "loadavg at start: $(cat /proc/loadavg)"
} > "results/machine-$STAMP.txt"

EXTRA=()
[[ -n "${QUICK:-}" ]] && EXTRA+=(--quick)
for round in $(seq 1 "$ROUNDS"); do
  for scenario in $SCENARIOS; do
    for client in $CLIENTS; do
      wait_for_quiet
      echo "round $round  $scenario  $client  (load $(cut -d' ' -f1 /proc/loadavg), others busy ${BUSY}%)"
      echo "{\"round\":$round,\"scenario\":\"$scenario\",\"client\":\"$client\",\"busy_before\":$BUSY,\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "results/quiet-$STAMP.jsonl"
      # shellcheck disable=SC2086 # JVM_PROPS is a list of flags
      timeout 300 java -Xmx"$XMX" -Xms256m ${JVM_PROPS:-} -cp "$CP" corellm.bench.Bench \
        --client "$client" --scenario "$scenario" --port "$PORT" --round "$round" --out "$RAW" \
        "${EXTRA[@]}" > "results/last-jvm.log" 2>&1 \
        || echo "  $client $scenario round $round: exit $? (see results/last-jvm.log)"
    done
  done
done
echo "loadavg at end: $(cat /proc/loadavg)" >> "results/machine-$STAMP.txt"

java -cp "$CP" corellm.bench.Summarize "$RAW" "results/summary-$STAMP.csv" "results/summary-$STAMP.md"

# Factory overhead (providerForModel, a routed chat) and reload time: in-process, no server needed.
java -cp "$CP" corellm.bench.FactoryBench | tee "results/factory-$STAMP.txt"
