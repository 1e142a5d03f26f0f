#!/usr/bin/env bash
# Runs each fuzz target for a bounded time, seeded from the examples.
# Usage: bash fuzz/run.sh [seconds per target]   (default 600)
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# A crash leaves its input under fuzz/artifacts/TARGET/: copy it to
# tests/fixtures/fuzz/ so the regression test replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
mkdir -p fuzz/corpus/plan fuzz/corpus/answers fuzz/corpus/profiles fuzz/corpus/import fuzz/corpus/snapshot
cp docs/examples/*.yaml src/lint/rules/examples/*.yaml fuzz/corpus/plan/
cp profiles/presets/*.yaml fuzz/corpus/answers/
i=0
for f in profiles/kubernetes.yaml profiles/platforms/{aws,gcp,azure,on-prem}.yaml profiles/questions.yaml; do
  { printf "\\x$(printf %02x $i)"; cat "$f"; } > "fuzz/corpus/profiles/seed-$i"
  i=$((i + 1))
done
# Other tools' files: the first byte picks YAML (even) or INI (odd).
i=0
while IFS= read -r f; do
  case "$f" in *.ini) b=1 ;; *) b=0 ;; esac
  { printf "\\x$(printf %02x $b)"; cat "$f"; } > "fuzz/corpus/import/seed-$i"
  i=$((i + 1))
done < <(find tests/fixtures/upstream/examples docs/import-examples -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.ini' \) | sort)
# Snapshots: the example, as YAML and as kubectl's JSON.
cp docs/import-examples/snapshot.yaml fuzz/corpus/snapshot/seed-yaml
python3 -c 'import json,sys,yaml' 2>/dev/null &&
  python3 -c 'import json,yaml; print(json.dumps(yaml.safe_load(open("docs/import-examples/snapshot.yaml")), indent=4))' > fuzz/corpus/snapshot/seed-json || true
for t in plan answers profiles import snapshot; do
  echo "== fuzz $t for ${secs}s"
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 2>&1 |
    grep -E "^#[0-9]+ *DONE|Done [0-9]+ runs|ERROR|panicked|SUMMARY" || true
done
