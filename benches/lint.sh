#!/usr/bin/env bash
# Whole-process timing of `kubeplan lint`: one plan, 1,000 plans in a folder,
# and one file of 11,574 plans.
# Prints the median of several runs and the peak resident memory.
# Usage: bash benches/lint.sh [runs]   (needs a release build: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
bin=target/release/kubeplan
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
[ -x "$bin" ] || cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir" "$dir.many.yaml"' EXIT
for i in $(seq -w 1 1000); do
  sed "s/name: shop-prod/name: plan-$i/" docs/examples/prod-onprem-stacked.yaml > "$dir/plan-$i.yaml"
done
# One multi-document file of 11,574 plans (about 16 MB), within the budgets.
for i in $(seq 1 11574); do
  [ "$i" -gt 1 ] && echo '---'
  sed "s/name: shop-prod/name: plan-$i/" docs/examples/prod-onprem-stacked.yaml
done > "$dir.many.yaml"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() { # label, args...
  local label=$1; shift
  local times=() peak=0
  for _ in $(seq "$runs"); do
    local out
    local start end
    start=$(date +%s%N)
    /usr/bin/time -o "$dir/time.txt" -f '%M' "$bin" "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    out=$(tail -1 "$dir/time.txt")
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", (b - a) / 1e9}')")
    local kb=$out
    (( kb > peak )) && peak=$kb
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | median)
  printf '%-28s median %7.4f s over %d runs, peak RSS %d KiB\n' "$label" "$med" "$runs" "$peak"
}

measure "lint 1 plan" lint docs/examples/prod-onprem-stacked.yaml
measure "lint 1,000 plans (folder)" lint "$dir"
measure "lint 1,000 plans --format json" lint --format json "$dir"/plan-*.yaml
measure "lint 11,574 plans in 1 file" lint --format json "$dir.many.yaml"
