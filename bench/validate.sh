#!/usr/bin/env bash
# Whole-process timing of `hookctl validate` on generated hook files of 100, 1,000 and
# 10,000 hooks, against `hookctl --version` (start-up alone), with peak memory.
# Needs hyperfine (apt-get install hyperfine) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/hookctl
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" <<'PY'
import json, sys
out = sys.argv[1]
for n in (100, 1000, 10000):
    hooks = [{
        "id": f"deploy-{i}", "execute-command": "/opt/scripts/deploy.sh",
        "command-working-directory": "/opt/deployments",
        "pass-arguments-to-command": [{"source": "payload", "name": "head_commit.id"},
                                      {"source": "payload", "name": "ref"}],
        "trigger-rule": {"and": [
            {"match": {"type": "payload-hmac-sha256", "secret": "q7Hc2Lm9Xw4Rt8Vb1Nz6",
                       "parameter": {"source": "header", "name": "X-Hub-Signature-256"}}},
            {"match": {"type": "regex", "regex": "^refs/heads/(main|production)$",
                       "parameter": {"source": "payload", "name": "ref"}}}]}}
        for i in range(n)]
    with open(f"{out}/hooks-{n}.json", "w") as f:
        json.dump(hooks, f, indent=2)
PY

hyperfine --warmup 3 --runs 30 -N \
  "$bin --version" \
  "$bin validate $dir/hooks-100.json" \
  "$bin validate $dir/hooks-1000.json" \
  "$bin validate $dir/hooks-10000.json"

for n in 100 1000 10000; do
  /usr/bin/time -f "peak memory, $n hooks: %M KB" "$bin" validate "$dir/hooks-$n.json" >/dev/null
done
