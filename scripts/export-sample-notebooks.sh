#!/usr/bin/env bash
# Regenerates notebooks-export/: nightly on the shipped sample into target/notebooks-sample-run/,
# the notebooks exported from that run, the Jupyter notebook executed in place (with its outputs)
# and the R Markdown rendered to HTML. Needs Debian's packages (docs/notebooks.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS=target/notebooks-sample-run
DATE=2025-06-30
./empathy nightly --input sample-data/data --output "$RUNS" --run-date "$DATE"
./empathy export-notebooks --run "$RUNS/$DATE" --output notebooks-export
jupyter-nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=600 notebooks-export/empathy-run.ipynb
Rscript -e 'rmarkdown::render("notebooks-export/empathy-run.Rmd", quiet = TRUE)'
echo "wrote notebooks-export/empathy-run.ipynb (executed) and notebooks-export/empathy-run.html" >&2
