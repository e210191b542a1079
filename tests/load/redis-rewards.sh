#!/usr/bin/env bash
# Rewards ingested per second through RewardStream into Redis: starts redis-server (AOF, appendfsync everysec) on a
# free loopback port and the service with --redis, then sends rewards over concurrent RewardStream calls.
# Usage: tests/load/redis-rewards.sh [streams, default 4] [rewards per stream, default 250000]
set -euo pipefail
cd "$(dirname "$0")/../.."
streams="${1:-4}"; per_stream="${2:-250000}"
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
dotnet tests/load/RewardStreamLoad/bin/Release/net10.0/RewardStreamLoad.dll "http://127.0.0.1:$port" "$streams" "$per_stream"
