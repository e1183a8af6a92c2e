#!/usr/bin/env bash
# Routing simulation (issue 15): N simulated Ollama hosts on loopback (in this JVM, ephemeral
# ports), one Zipf / bursty workload, three routers (random, least-inflight, core-llm) interleaved
# per round on fresh cold hosts. Stops by itself; writes results/routing-<stamp>.{jsonl,md}.
#
# Environment: ROUNDS (3), SECONDS_SIM (120, simulated seconds per run), SCALE (0.25), SEED (15),
# SKIP_BUILD=1, SIM_PROPS (extra -D flags, e.g. "-Dsim.burstRate=10"), XMX (1g).
set -euo pipefail
cd "$(dirname "$0")"

if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q -f ../pom.xml install -DskipTests -Dmaven.javadoc.skip=true -Dspotless.check.skip=true
  mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
fi
CP="target/classes:$(cat target/cp.txt)"
mkdir -p results
echo "nproc $(nproc), loadavg $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
# shellcheck disable=SC2086 # SIM_PROPS is a list of flags
timeout 1800 java -Xmx"${XMX:-1g}" -Dsim.rounds="${ROUNDS:-3}" -Dsim.seconds="${SECONDS_SIM:-120}" \
  -Dsim.scale="${SCALE:-0.25}" -Dsim.seed="${SEED:-15}" -Dsim.out=results ${SIM_PROPS:-} \
  -cp "$CP" corellm.bench.sim.RoutingSim
