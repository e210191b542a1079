#!/usr/bin/env bash
# Rewards ingested per second through RewardStream into Redis: starts redis-server (AOF, appendfsync everysec) on a
# free loopback port and the service with --redis, then sends rewards over concurrent RewardStream calls. Options after
# the two numbers: --decided makes a decision for each event id first (untimed), so the rewards find their decisions;
# by default every reward is for an unknown event (an orphan).
# Usage: tests/load/redis-rewards.sh [streams, default 4] [rewards per stream, default 250000] [--decided]
set -euo pipefail
cd "$(dirname "$0")/../.."
streams="${1:-4}"; per_stream="${2:-250000}"; decided="${3:-}"
[[ -z "$decided" || "$decided" == --decided ]] || { echo "unknown option $decided; the only one is --decided" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install redis-server" >&2; exit 1; }

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
for project in src/Loops.Service tests/load/RewardStreamLoad; do
  dotnet build -c Release -v q -nologo "$project" >/dev/null
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes --appendfsync everysec --save '' \
  --daemonize no >"$work/redis.log" 2>&1 &
pids+=($!)
port=$(free_port)
dotnet src/Loops.Service/bin/Release/net10.0/Loops.Service.dll --urls "http://127.0.0.1:$port" --data-dir "$work/data" \
  --redis "127.0.0.1:$redis_port" --Logging:LogLevel:Default=Warning >"$work/service.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.2
done
echo "$(nproc) cores (shared with whatever else runs on this machine)"
load=tests/load/RewardStreamLoad/bin/Release/net10.0/RewardStreamLoad.dll
if [[ -n "$decided" ]]; then
  dotnet "$load" "http://127.0.0.1:$port" "$streams" "$per_stream" --decide
fi
# CPU seconds (user + system) a process used so far, from /proc: shows which side limits the rate.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# The load client's: the CPU of this shell's finished children (bash's times), before and after it ran.
# (times runs in this shell, not in a command substitution's subshell, which has children of its own.)
children_seconds() { tail -1 "$work/times" | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] } printf "%.2f", n }'; }
redis_before=$(cpu_seconds "${pids[0]}"); service_before=$(cpu_seconds "${pids[1]}"); times >"$work/times"; client_before=$(children_seconds)
started=$(date +%s.%N)
dotnet "$load" "http://127.0.0.1:$port" "$streams" "$per_stream"
elapsed=$(echo "$(date +%s.%N) - $started" | bc -l)
redis_after=$(cpu_seconds "${pids[0]}"); service_after=$(cpu_seconds "${pids[1]}"); times >"$work/times"; client_after=$(children_seconds)
awk -v r="$(echo "$redis_after - $redis_before" | bc -l)" -v s="$(echo "$service_after - $service_before" | bc -l)" \
  -v c="$(echo "$client_after - $client_before" | bc -l)" -v e="$elapsed" \
  'BEGIN { printf "CPU while loading (%.1f s, client start-up included), %% of one core: redis-server %.0f, service %.0f, client %.0f\n", e, 100 * r / e, 100 * s / e, 100 * c / e }'
