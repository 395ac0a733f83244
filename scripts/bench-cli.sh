#!/usr/bin/env bash
# The size curve of a full `zonelint check` run, as users run it: a release binary on generated
# workspaces written to disk. For each size, the fastest of N runs (wall clock), the CPU time
# of that run, and the peak resident memory (from GNU time), next to the model text size.
#
#   scripts/bench-cli.sh [SIZES...]        default: 1000 3000 10000 30000 100000
#   RUNS=5 scripts/bench-cli.sh 10000      more runs per size
#
# Output format: human (the default, what a terminal gets), so rendering is included.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 3000 10000 30000 100000)
runs=${RUNS:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --release --quiet
bin=$CARGO_TARGET_DIR/release/zonelint
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%9s %9s %9s %10s %10s %10s %9s %8s\n' \
  components files text_MB wall_ms cpu_ms peak_MiB rss/text findings
for n in "${sizes[@]}"; do
  dir=$work/ws$n
  "$bin" generate --components "$n" --out "$dir" > /dev/null
  bytes=$(find "$dir" -name '*.iacs' -printf '%s\n' | awk '{s+=$1} END {print s}')
  files=$(find "$dir" -name '*.iacs' | wc -l)
  best_wall=""; best_cpu=""; best_rss=""
  for _ in $(seq "$runs"); do
    # %e wall s, %U user s, %S system s, %M peak RSS KiB. Exit 1 (findings) is expected.
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" check "$dir" > "$work/out" 2>/dev/null || true
    read -r wall user sys rss < <(tail -1 "$work/time")
    if [ -z "$best_wall" ] || awk "BEGIN {exit !($wall < $best_wall)}"; then
      best_wall=$wall; best_cpu=$(awk "BEGIN {print $user + $sys}"); best_rss=$rss
    fi
  done
  findings=$(tail -1 "$work/out")
  awk -v n="$n" -v f="$files" -v b="$bytes" -v w="$best_wall" -v c="$best_cpu" -v r="$best_rss" -v s="$findings" \
    'BEGIN { printf "%9d %9d %9.2f %10.0f %10.0f %10.1f %8.1fx  %s\n", n, f, b/1e6, w*1000, c*1000, r/1024, r*1024/b, s }'
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
