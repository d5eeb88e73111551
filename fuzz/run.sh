#!/bin/sh
# Run every fuzz target for a fixed time (seconds, default 60) from a seed corpus of the fixtures.
#   cargo install cargo-fuzz && fuzz/run.sh 60
# Crashes are written to fuzz/artifacts/<target>/; the script fails if any target finds one.
set -eu
cd "$(dirname "$0")"
secs="${1:-60}"
seed() {
    t="$1"
    shift
    mkdir -p "corpus/$t"
    for f in "$@"; do
        if [ -f "$f" ]; then cp "$f" "corpus/$t/"; fi
    done
}
seed policy ../rules/*/*.policy ../tests/fixtures/check/*.policy ../tests/fixtures/syntax/*/*.policy ../tests/fixtures/malformed/policy/*.policy
seed policy_fast ../rules/*/*.policy ../tests/fixtures/check/*.policy ../tests/fixtures/syntax/*/*.policy ../tests/fixtures/malformed/policy/*.policy
seed sheet_toml ../examples/*.toml ../tests/fixtures/eval/*/*.toml ../tests/fixtures/malformed/sheet/*.toml ../tests/fixtures/hostile/*.toml
seed sheet_json ../tests/fixtures/eval/*/*.json ../tests/fixtures/malformed/sheet/*.json ../tests/fixtures/hostile/*.json ../tests/fixtures/hostile/*.jsonl
seed sheet_direct ../examples/*.json ../tests/fixtures/eval/*/*.json ../tests/fixtures/rows/*.json ../tests/fixtures/malformed/sheet/*.json ../tests/fixtures/hostile/*.json ../tests/fixtures/hostile/*.jsonl
seed scores ../examples/*.toml ../examples/*.json ../tests/fixtures/eval/*/*.toml ../tests/fixtures/eval/*/*.json ../tests/fixtures/real/*.toml ../tests/fixtures/variants/*.toml ../tests/fixtures/variants/*.json
mkdir -p corpus/workbook
for f in ../examples/*.xlsx ../tests/fixtures/*/*.xlsx ../tests/fixtures/*/*.ods; do
    if [ -f "$f" ]; then { printf '\000'; cat "$f"; } > "corpus/workbook/$(basename "$f")"; fi
done
for f in ../examples/*.csv ../tests/fixtures/*/*.csv; do
    if [ -f "$f" ]; then { printf '\001'; cat "$f"; } > "corpus/workbook/$(basename "$f")"; fi
done
mkdir -p corpus/cell
for t in '≥50个' '>=21933人' '≧735人次' '≤90万元' '<=5300元/户' '=8个' '═100%' '80%以上' '不低于95%' '小于5次' '2023年12月' '明显提升' '6场沙龙、1场企业家年会'; do
    printf '%s' "$t" > "corpus/cell/$(printf '%s' "$t" | od -An -tx1 | tr -d ' \n')"
done
for t in policy policy_fast cell sheet_toml sheet_json sheet_direct scores workbook; do
    echo "== $t (${secs}s)"
    len=65536
    if [ "$t" = workbook ]; then len=262144; fi
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -max_len="$len" -rss_limit_mb=2048
done
