#!/usr/bin/env bash
# Load test of the service over the network with h2load (Debian nghttp2-client), a real HTTP/2 load generator:
# a pre-encoded DecideRequest against the bare Echo method served by the same transport in the same process.
# Usage: tests/load/h2load.sh [seconds per run, default 15]   (prints requests/s, latency percentiles, and the CPU
# per request of the service and of h2load itself)
# WARMUP sets the seconds of load before each measured run (default 10).
# Extra service arguments come from LOOPS_ARGS, e.g. LOOPS_ARGS="--redis 127.0.0.1:6379" for decisions logged to Redis.
# ROUNDS=N alternates N echo and Decide runs on the same service and ends with each round's Decide/echo ratio and their
# median: on a shared machine one pair of runs can be off by 10% or more.
# WINDOW sets the policy's reward window in seconds (default 60, longer than a run): WINDOW=2 measures the steady
# state, with every decision joined and learned from during the run. KEEP_LOGS=DIR keeps the per-request logs of h2load
# (start time in µs, status, latency in µs) and the service's log in DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-15}"
# Long enough for the runtime to finish compiling the hot paths (tiered JIT), which takes several seconds under load.
warmup="${WARMUP:-10}"
command -v h2load >/dev/null || { echo "h2load is missing: apt-get install nghttp2-client" >&2; exit 1; }

work=$(mktemp -d)
service=""
trap '[ -n "$service" ] && kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; [ -n "${KEEP_LOGS:-}" ] && cp "$work"/*.log "$KEEP_LOGS"/; rm -rf "$work"' EXIT
for project in src/Loops.Service simulator/Loops.Simulator; do
  dotnet build -c Release -v q -nologo "$project" >/dev/null
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
address="http://127.0.0.1:$port"
dotnet src/Loops.Service/bin/Release/net10.0/Loops.Service.dll --urls "$address" --data-dir "$work/data" \
  --Logging:LogLevel:Default=Warning ${LOOPS_ARGS:-} >"$work/service.log" 2>&1 &
service=$!
for _ in $(seq 100); do
  dotnet simulator/Loops.Simulator/bin/Release/net10.0/loops-sim.dll load-fixture --target "$address" --out "$work" --reward-window "${WINDOW:-60}" >/dev/null 2>&1 && break
  sleep 0.2
done
[ -f "$work/decide.bin" ] || { echo "the service did not start:" >&2; cat "$work/service.log" >&2; exit 1; }

# CPU time (user + system) the service has used, in clock ticks: per request it is the figure that another load on
# the machine changes least.
service_ticks() { awk '{ print $14 + $15 }' "/proc/$service/stat"; }
# The CPU time of another process (h2load), or nothing once it has exited.
load_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || true; }
# Minor page faults: first touches of memory, which cost microseconds each on a virtual machine.
service_faults() { awk '{ print $10 }' "/proc/$service/stat"; }

run() { # name path body
  local log="$work/$1.log" ticks faults
  # h2load appends to its log file: each run starts a new one.
  rm -f "$log"
  h2load -c 4 -m 32 -t 1 --warm-up-time="$warmup" -D "$seconds" --log-file="$log" \
    -H 'content-type: application/grpc' -H 'te: trailers' -d "$3" "$address$2" >"$work/$1.out" &
  local load=$! load_start load_end sample
  # The service's CPU and page faults are counted after the warm-up, over the measured seconds only.
  sleep "$warmup"
  ticks=$(service_ticks)
  faults=$(service_faults)
  # So is h2load's own CPU: it shares the machine's cores with the service, so together they set the rate. Sampled
  # until h2load exits (its last tenth of a second is missed).
  load_start=$(load_ticks "$load")
  load_end=$load_start
  while sample=$(load_ticks "$load") && [ -n "$sample" ]; do
    load_end=$sample
    sleep 0.1
  done
  wait "$load"
  ticks=$(( $(service_ticks) - ticks ))
  faults=$(( $(service_faults) - faults ))
  local rps ok
  rps=$(grep -oP 'finished in .*?, \K[0-9.]+(?= req/s)' "$work/$1.out")
  echo "$rps" >"$work/$1.rps"
  ok=$(grep -oP 'status codes: \K[0-9]+(?= 2xx)' "$work/$1.out")
  # --log-file lines: start time, HTTP status, latency in microseconds.
  sort -n -k3 "$log" | awk -v name="$1" -v rps="$rps" -v ok="$ok" -v ticks="$ticks" -v faults="$faults" -v hz="$(getconf CLK_TCK)" \
    -v load_ticks="$(( load_end - load_start ))" \
    -v seconds="$seconds" '{ l[NR] = $3 } END {
    printf "%-7s %10.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (%d requests, %d 2xx)  service CPU %.1f µs, %.2f page faults/request, h2load CPU %.1f µs\n",
      name, rps, l[int(NR * 0.5)] / 1000, l[int(NR * 0.99)] / 1000, l[NR] / 1000, NR, ok,
      ticks / hz * 1e6 / (rps * seconds), faults / (rps * seconds), load_ticks / hz * 1e6 / (rps * seconds) }'
}
echo "h2load -c 4 -m 32, ${seconds}s per run after ${warmup}s warm-up, $(nproc) cores"
rounds="${ROUNDS:-1}"
ratios=()
for _ in $(seq "$rounds"); do
  run echo /loops.v1.Diagnostics/Echo "$work/echo.bin"
  run decide /loops.v1.DecisionService/Decide "$work/decide.bin"
  ratios+=("$(awk -v d="$(cat "$work/decide.rps")" -v e="$(cat "$work/echo.rps")" 'BEGIN { printf "%.2f", d / e }')")
done
if [ "$rounds" -gt 1 ]; then
  median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END { print (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }')
  echo "Decide/echo per round: ${ratios[*]}; median ${median}"
fi
