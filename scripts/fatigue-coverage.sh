#!/usr/bin/env bash
# Coverage of the fatigue job's intervals on generated data (docs/jobs/fatigue.md, "Coverage of the
# intervals"): for each seed, `empathy generate` then `empathy fatigue`, one Spark job at a time,
# and one line per seed with the distance of each after_high_empathy_shift estimate from its
# planted estimand (truth.json) in standard errors, a star when the 95% interval misses it.
#
#   scripts/fatigue-coverage.sh [--interactions N] [--dir DIR] SEED...
#
# Defaults: 100000 interactions, work in target/fatigue-coverage (data sets are kept and reused).
# Needs python3 (standard library only) to read effects.csv and truth.json.
set -euo pipefail

EMPATHY_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
interactions=100000
dir="$EMPATHY_HOME/target/fatigue-coverage"
while [ $# -gt 0 ]; do
  case "$1" in
    --interactions) interactions="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --) shift; break ;;
    -*) echo "fatigue-coverage: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: scripts/fatigue-coverage.sh [--interactions N] [--dir DIR] SEED..." >&2; exit 2; }
mkdir -p "$dir"

echo "seed empathy_score empathy_documented csat"
for seed in "$@"; do
  data="$dir/data-$interactions-$seed"
  out="$dir/out-$interactions-$seed"
  [ -f "$data/truth.json" ] || "$EMPATHY_HOME/empathy" generate --interactions "$interactions" --seed "$seed" \
      --output "$data" >/dev/null 2>"$dir/generate-$seed.log"
  "$EMPATHY_HOME/empathy" fatigue --input "$data" --output "$out" --bootstrap 99 >/dev/null 2>"$dir/fatigue-$seed.log"
  python3 - "$seed" "$data/truth.json" "$out/fatigue/effects.csv" <<'EOF'
import csv, json, sys
seed, truth, effects = sys.argv[1:]
planted = json.load(open(truth))["fatigue"]["after_high_empathy_shift"]
cells = {}
for r in csv.DictReader(open(effects)):
    if r["term"] == "after_high_empathy_shift" and r["std_error"]:
        estimand = planted[r["outcome"]]["within_agent_estimand"]
        z = (float(r["estimate"]) - estimand) / float(r["std_error"])
        inside = float(r["ci_low"]) <= estimand <= float(r["ci_high"])
        cells[r["outcome"]] = f"{z:+.2f}" + ("" if inside else "*")
print(seed, *(cells.get(o, "-") for o in ("empathy_score", "empathy_documented", "csat")))
EOF
done
