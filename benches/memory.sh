#!/usr/bin/env bash
# Peak memory of `ctsel filter` on a 1 GB input (and its gzip): the goal is a
# peak RSS under 100 MB, independent of input size.
# Usage: bash benches/memory.sh [MEGABYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${1:-1000}"
cargo build --release --quiet --bin ctsel --example generate
data="target/bench-${mb}mb.ndjson"
[ -f "$data" ] || ./target/release/examples/generate "$mb" > "$data"
[ -f "$data.gz" ] || gzip -1 -c "$data" > "$data.gz"
sel=selectors/put-delete-all-but-one-bucket.json
measure() {
  local label="$1"; shift
  /usr/bin/time -f "%M %e" -o target/memory.time "$@" > /dev/null 2> target/memory.err || true
  read -r kb secs < target/memory.time
  printf '%-48s peak RSS %6.1f MB  %6.2f s\n' "$label" "$(echo "$kb/1024" | bc -l)" "$secs"
}
echo "input: $(du -m "$data" | cut -f1) MB NDJSON, $(du -m "$data.gz" | cut -f1) MB gzip"
measure "filter --count --jobs 1"            ./target/release/ctsel filter -q --count --jobs 1 -s "$sel" "$data"
measure "filter --count (all cores)"         ./target/release/ctsel filter -q --count -s "$sel" "$data"
measure "filter (matched records to output)" ./target/release/ctsel filter -q -s "$sel" "$data"
measure "filter --invert (97% to output)"    ./target/release/ctsel filter -q --invert -s "$sel" "$data"
measure "filter --count file.gz"             ./target/release/ctsel filter -q --count -s "$sel" "$data.gz"
measure "filter --count < stdin"             sh -c "./target/release/ctsel filter -q --count -s $sel < $data"
# Compiling the largest legal selector set: 500 values of 2,048 characters
# (goal: a peak under 16 MB; compile memory is a byte per value byte).
python3 - > target/largest-legal.json <<'PY'
import json
vals = ['arn:aws:s3:::b%03d/' % i + 'k' * (2048 - 19) for i in range(498)]
print(json.dumps([{"Name": "big", "FieldSelectors": [
    {"Field": "eventCategory", "Equals": ["Data"]},
    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
    {"Field": "resources.ARN", "StartsWith": vals}]}]))
PY
measure "compile the largest legal selector set"  ./target/release/ctsel filter -q --count -s target/largest-legal.json /dev/null
