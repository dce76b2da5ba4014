#!/usr/bin/env bash
# Whole-process signing of a 100 MB payload with the release binary: wall time and peak
# memory (GNU time's %M, in KB), for HMAC-SHA256 and for the GitHub preset, against
# `hookctl --version` (start-up alone). `cargo bench --bench sign` gives the MB/s of the
# signing pass itself and of the sha2 crate's raw SHA-256.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/hookctl
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

head -c $((100 * 1024 * 1024)) /dev/urandom > "$dir/payload.bin"
export BENCH_SECRET="It's a Secret to Everybody"

/usr/bin/time -f "start-up: %e s, peak memory %M KB" "$bin" --version >/dev/null
for flags in "--algorithm sha256" "--provider github"; do
  # shellcheck disable=SC2086
  /usr/bin/time -f "sign $flags, 100 MB: %e s, peak memory %M KB" \
    "$bin" sign "$dir/payload.bin" --secret-env BENCH_SECRET $flags >/dev/null
done
