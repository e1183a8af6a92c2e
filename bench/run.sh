#!/usr/bin/env bash
# The client benchmark (issue 13's method). Builds the library and the benchmark, starts three fake
# Ollama servers in their own JVMs on loopback (one write per NDJSON line, as Ollama does; the same
# paced at one line per 250 us for s1paced; 16 KB slices for the -16k variants) and the disturbance
# monitor (others' CPU every second, for the whole run). Then, per scenario, one JVM per client
# (same -Xmx for all) warms up in windows until CPU per operation is stable (three windows within
# 5%, at least FLOOR_S, at most CAP_S: then marked unstable), one client at a time, and ROUNDS
# rounds follow, each measuring every client for MEASURE_S in the same interleaved order (serve
# mode; MODE=fresh starts a fresh JVM per client x scenario x round instead). Summarize writes
# per-round ratios to raw-vertx, their median and min/max, and drops rounds in which any client saw
# others use more than BUSY_MAX % of the machine (their raw data stay in results/, marked). Stops
# everything on exit. Do not rebuild bench/ or edit this file while it runs.
#
# With no arguments it runs everything: 6 clients x 6 scenarios x 5 rounds at 10 s floor and 10 s
# measured. s1 and s1paced share one JVM per client, as do s2c1 and s2c64 (the same code: the
# later one warms up with NEXT_FLOOR_S / NEXT_CAP_S, still until stable), so 24 JVMs, about 38
# min on a quiet 2-core machine plus the build (the estimate is printed at start).
#
# Environment: ROUNDS (5), CLIENTS, SCENARIOS (add s1-16k s3-16k for the 16 KB-slice variant),
# MODE (serve | fresh), PORT (11435; PORT+1 paced, PORT+2 slices), XMX (1g),
# WINDOW_MS (1000), FLOOR_S (10), CAP_S (20), MEASURE_S (10), NEXT_FLOOR_S (3), NEXT_CAP_S (10),
# BUSY_MAX (25: % of the machine others may use during a measurement before its round is dropped),
# LOAD_WAIT (seconds to wait before each JVM / measurement for others to use less than BUSY_MAX %;
# 0 = don't), SKIP_BUILD=1, QUICK=1 (short windows, a smoke test), JVM_PROPS (extra flags for every
# client JVM), OVERHEAD_S (per-JVM start-up assumed by the estimate, 2.5).
set -euo pipefail
cd "$(dirname "$0")"

ROUNDS=${ROUNDS:-5}
CLIENTS=${CLIENTS:-"raw-vertx core-llm core-llm-routed langchain4j spring-ai ollama4j"}
# a+b: one JVM per client runs a, then b (serve mode; fresh mode runs them apart)
SCENARIOS=${SCENARIOS:-"s1+s1paced s2c1+s2c64 s3 s4"}
PORT=${PORT:-11435}
PACED_PORT=$((PORT + 1))
SLICES_PORT=$((PORT + 2))
XMX=${XMX:-1g}
WINDOW_MS=${WINDOW_MS:-1000}
FLOOR_S=${FLOOR_S:-10}
CAP_S=${CAP_S:-20}
MEASURE_S=${MEASURE_S:-10}
NEXT_FLOOR_S=${NEXT_FLOOR_S:-3}
NEXT_CAP_S=${NEXT_CAP_S:-10}
BUSY_MAX=${BUSY_MAX:-25}
MODE=${MODE:-serve}
LOAD_WAIT=${LOAD_WAIT:-0}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=results/raw-$STAMP.jsonl
SAMPLES=results/disturbance-$STAMP.jsonl

EXTRA=()
if [[ -n "${QUICK:-}" ]]; then
  EXTRA+=(--quick)
  WINDOW_MS=500 FLOOR_S=1 CAP_S=3 MEASURE_S=2 NEXT_FLOOR_S=1 NEXT_CAP_S=3
fi

# The estimate. A JVM costs start-up and teardown (OVERHEAD_S, about 2.5 s on this machine class)
# and a warm-up of the floor plus about 1.5 windows (three settled windows end at the floor at the
# earliest); the worst case has every warm-up at the cap. fresh: every client x scenario x round is
# a JVM with its own warm-up. serve: a JVM per client x group warms up once per scenario (a group's
# later scenarios with NEXT_FLOOR_S / NEXT_CAP_S), then measures ROUNDS times per scenario (about
# 0.5 s between measurements: S4's GC, S3's last round).
if [[ "$MODE" == fresh ]]; then
  SCENARIOS=$(tr '+' ' ' <<< "$SCENARIOS")
fi
n_clients=$(wc -w <<< "$CLIENTS")
n_groups=$(wc -w <<< "$SCENARIOS")
n_scenarios=$(tr '+' ' ' <<< "$SCENARIOS" | wc -w)
n_later=$((n_scenarios - n_groups))
OVERHEAD_S=${OVERHEAD_S:-2.5}
if [[ "$MODE" == fresh ]]; then
  jvms=$((ROUNDS * n_clients * n_scenarios))
  measures=1
else
  jvms=$((n_clients * n_groups))
  measures=$ROUNDS
fi
later=$((n_clients * n_later))
estimate=$(awk -v n="$jvms" -v l="$later" -v s="$((n_clients * n_scenarios))" -v k="$measures" -v o="$OVERHEAD_S" \
  -v f="$FLOOR_S" -v nf="$NEXT_FLOOR_S" -v w="$WINDOW_MS" -v m="$MEASURE_S" -v fresh="$([[ $MODE == fresh ]] && echo 1 || echo 0)" \
  'BEGIN { meas = fresh ? n * (m + 0.5) : s * k * (m + 0.5);
           printf "%.0f", (n * (o + f + 1.5 * w / 1000) + l * (nf + 1.5 * w / 1000) + meas) / 60 }')
worst=$(awk -v n="$jvms" -v l="$later" -v s="$((n_clients * n_scenarios))" -v k="$measures" -v o="$OVERHEAD_S" \
  -v c="$CAP_S" -v nc="$NEXT_CAP_S" -v w="$WINDOW_MS" -v m="$MEASURE_S" -v fresh="$([[ $MODE == fresh ]] && echo 1 || echo 0)" \
  'BEGIN { meas = fresh ? n * (m + 0.5) : s * k * (m + 0.5);
           printf "%.0f", (n * (o + c + w / 1000) + l * (nc + w / 1000) + meas) / 60 }')
echo "bench ($MODE): $jvms JVMs, $ROUNDS rounds x $n_clients clients x $n_scenarios scenarios;" \
  "warm-up windows ${WINDOW_MS} ms, floor ${FLOOR_S} s, cap ${CAP_S} s (a group's later scenarios" \
  "${NEXT_FLOOR_S} s, ${NEXT_CAP_S} s), measure ${MEASURE_S} s;" \
  "estimated ${estimate} min (every JVM at the cap: ${worst} min), plus the build"

if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q -o -f ../pom.xml install -DskipTests -Dmaven.javadoc.skip=true -Dspotless.check.skip=true
  mvn -B -q -o package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/cp.txt
fi
CP="target/classes:$(cat target/cp.txt)"
mkdir -p results

PIDS=()      # servers and the monitor, for the whole run
declare -A JPID=() # serve JVMs of the scenario under way, until they are waited for
cleanup() {
  local p
  for p in "${PIDS[@]}" "${JPID[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}" "${JPID[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

start_server() { # name, args...
  local name=$1
  shift
  java -Xmx512m -cp "$CP" corellm.bench.FastOllamaServer "$@" > "results/server-$name-$STAMP.log" 2>&1 &
  PIDS+=($!)
}
start_server lines --port "$PORT"
start_server paced --port "$PACED_PORT" --pace-us 250 --instances 1
start_server slices --port "$SLICES_PORT" --slices
for name in lines paced slices; do
  for _ in $(seq 1 100); do
    grep -q listening "results/server-$name-$STAMP.log" && break
    sleep 0.2
  done
  grep -q listening "results/server-$name-$STAMP.log" \
    || { echo "server $name did not start"; cat "results/server-$name-$STAMP.log"; exit 1; }
done

# Others' CPU for the whole run, one sample a second; "ours" is this script's process tree.
java -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$CP" corellm.bench.Disturbance \
  --root $$ --out "$SAMPLES" --interval-ms 1000 > "results/disturbance-$STAMP.log" 2>&1 &
PIDS+=($!)

# CPU busy % of the whole machine over 2 s, for the optional wait before each JVM (our servers are
# idle then). The 1-minute load average cannot be used: it still holds our previous JVM.
busy_percent() {
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) ))
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
BUSY=-1
wait_for_quiet() {
  local waited=0
  (( LOAD_WAIT > 0 )) || return 0
  while (( waited < LOAD_WAIT )); do
    BUSY=$(busy_percent)
    (( BUSY < BUSY_MAX )) && return 0
    sleep 3
    waited=$((waited + 5))
  done
}

{
  echo "date: $STAMP"
  echo "nproc: $(nproc)"
  grep MemTotal /proc/meminfo
  java -version 2>&1 | head -2
  echo "loadavg at start: $(cat /proc/loadavg)"
  echo "method: window ${WINDOW_MS} ms, floor ${FLOOR_S} s, cap ${CAP_S} s, later in a group floor ${NEXT_FLOOR_S} s cap ${NEXT_CAP_S} s, measure ${MEASURE_S} s, busy max ${BUSY_MAX}%"
  echo "scenarios (a+b: one JVM per client for both): $SCENARIOS"
} > "results/machine-$STAMP.txt"

bench_jvm() { # client scenario round extra-args...: the client JVM's command line
  local client=$1 scenario=$2 round=$3
  shift 3
  # shellcheck disable=SC2086 # JVM_PROPS is a list of flags
  java -Xmx"$XMX" -Xms256m ${JVM_PROPS:-} -cp "$CP" corellm.bench.Bench \
    --client "$client" --scenario "$scenario" --port "$PORT" --paced-port "$PACED_PORT" \
    --slices-port "$SLICES_PORT" --round "$round" --out "$RAW" \
    --window-ms "$WINDOW_MS" --floor-s "$FLOOR_S" --cap-s "$CAP_S" --measure-s "$MEASURE_S" \
    --next-floor-s "$NEXT_FLOOR_S" --next-cap-s "$NEXT_CAP_S" "${EXTRA[@]}" "$@"
}

# Reads lines from fd $1 until one equals $2; fails on end of file or after $3 seconds.
await_line() {
  local fd=$1 want=$2 limit=$3 line
  local end=$(( $(date +%s) + limit ))
  while (( $(date +%s) < end )); do
    IFS= read -r -t $(( end - $(date +%s) + 1 )) -u "$fd" line || return 1
    [[ "$line" == "$want" ]] && return 0
  done
  return 1
}

t_start=$(date +%s)
if [[ "$MODE" == fresh ]]; then
  # a fresh JVM per client x scenario x round: warm-up and measurement in each
  for round in $(seq 1 "$ROUNDS"); do
    for scenario in $SCENARIOS; do
      for client in $CLIENTS; do
        wait_for_quiet
        echo "round $round  $scenario  $client  (load $(cut -d' ' -f1 /proc/loadavg), $(( $(date +%s) - t_start )) s)"
        timeout $((CAP_S + MEASURE_S + 180)) bench_jvm "$client" "$scenario" "$round" \
          > "results/last-jvm.log" 2>&1 \
          || echo "  $client $scenario round $round: exit $? (see results/last-jvm.log)"
      done
    done
  done
else
  # serve: per group (a scenario, or a+b), one JVM per client. Per scenario of the group: each JVM
  # warms up in turn (the others idle), then ROUNDS rounds measure every client in turn; "next"
  # moves the JVMs on to the group's next scenario. The JVMs talk over FIFOs (Bench --serve).
  FIFOS=$(mktemp -d)
  # Writes to a JVM go through a subshell: one to a JVM that has died raises SIGPIPE, which would
  # end this script if the write were its own.
  # starts a serve JVM for client $1 running scenarios $2 (a+b), logging to the group's log
  start_jvm() {
    local client=$1 spec=$2
    rm -f "$FIFOS/$client.in" "$FIFOS/$client.out"
    mkfifo "$FIFOS/$client.in" "$FIFOS/$client.out"
    bench_jvm "$client" "$spec" 1 --serve --watchdog $((MEASURE_S + 120)) \
      < "$FIFOS/$client.in" > "$FIFOS/$client.out" 2>> "results/jvm-$group-$client-$STAMP.log" &
    JPID[$client]=$!
    exec {fd_in}> "$FIFOS/$client.in"
    exec {fd_out}< "$FIFOS/$client.out"
    IN[$client]=$fd_in
    OUT[$client]=$fd_out
    ALIVE[$client]=1
  }
  # ends client $1's JVM and closes its FIFOs
  stop_jvm() {
    local client=$1
    if [[ -n "${ALIVE[$client]:-}" ]]; then
      ( echo quit >&"${IN[$client]}" ) 2>/dev/null || true
    fi
    if [[ -n "${IN[$client]:-}" ]]; then
      fd_in=${IN[$client]}
      fd_out=${OUT[$client]}
      exec {fd_in}>&- {fd_out}<&-
      unset "IN[$client]" "OUT[$client]"
    fi
    if [[ -n "${JPID[$client]:-}" ]]; then
      local waited
      for waited in $(seq 1 50); do # up to 10 s to leave after quit
        kill -0 "${JPID[$client]}" 2>/dev/null || break
        sleep 0.2
      done
      kill "${JPID[$client]}" 2>/dev/null || true
      wait "${JPID[$client]}" 2>/dev/null || true
      unset "JPID[$client]"
    fi
    ALIVE[$client]=
    rm -f "$FIFOS/$client.in" "$FIFOS/$client.out"
  }
  for group in $SCENARIOS; do
    declare -A IN=() OUT=() ALIVE=()
    JPID=()
    first=1
    rest=$group
    for scenario in $(tr '+' ' ' <<< "$group"); do
      for client in $CLIENTS; do
        wait_for_quiet
        echo "$scenario  $client  warm-up  (load $(cut -d' ' -f1 /proc/loadavg), $(( $(date +%s) - t_start )) s)"
        if [[ -n "$first" ]]; then
          start_jvm "$client" "$group"
          ready=
          if await_line "${OUT[$client]}" BENCH-READY $((CAP_S + 120)); then ready=1; fi
        else
          ready=
          if [[ -n "${ALIVE[$client]}" ]] && ( echo next >&"${IN[$client]}" ) 2>/dev/null \
            && await_line "${OUT[$client]}" BENCH-READY $((NEXT_CAP_S + 120)); then
            ready=1
          else
            # the shared JVM is gone or failed (ollama4j runs out of heap in S1): a fresh JVM
            # takes the rest of the group, with the full warm-up
            echo "  $client $scenario: a fresh JVM takes over (see results/jvm-$group-$client-$STAMP.log)"
            stop_jvm "$client"
            start_jvm "$client" "$rest"
            if await_line "${OUT[$client]}" BENCH-READY $((CAP_S + 120)); then ready=1; fi
          fi
        fi
        if [[ -z "$ready" ]]; then
          echo "  $client $scenario: no warm-up (see results/jvm-$group-$client-$STAMP.log)"
          stop_jvm "$client"
        fi
      done
      first=
      for round in $(seq 1 "$ROUNDS"); do
        for client in $CLIENTS; do
          [[ -n "${ALIVE[$client]}" ]] || continue
          wait_for_quiet
          echo "round $round  $scenario  $client  (load $(cut -d' ' -f1 /proc/loadavg), $(( $(date +%s) - t_start )) s)"
          if ! ( echo "measure $round" >&"${IN[$client]}" ) 2>/dev/null \
            || ! await_line "${OUT[$client]}" BENCH-DONE $((MEASURE_S + 150)); then
            echo "  $client $scenario round $round: no result (see results/jvm-$group-$client-$STAMP.log)"
            kill "${JPID[$client]}" 2>/dev/null || true
            ALIVE[$client]=
          fi
        done
      done
      rest=${rest#*+}
    done
    for client in $CLIENTS; do
      stop_jvm "$client"
    done
    unset IN OUT ALIVE
  done
  rmdir "$FIFOS"
fi
echo "loadavg at end: $(cat /proc/loadavg)" >> "results/machine-$STAMP.txt"
echo "bench: JVMs took $(( ($(date +%s) - t_start) / 60 )) min (estimated ${estimate})" | tee -a "results/machine-$STAMP.txt"
sleep 1.5 # the monitor's sample that covers the last JVM's end

java -cp "$CP" corellm.bench.Summarize "$RAW" "results/summary-$STAMP.csv" "results/summary-$STAMP.md" \
  --samples "$SAMPLES" --busy-max "$BUSY_MAX" --interval-ms 1000

# Factory overhead (providerForModel, a routed chat) and reload time: in-process, no server needed.
[[ -n "${QUICK:-}" ]] || java -cp "$CP" corellm.bench.FactoryBench | tee "results/factory-$STAMP.txt"
