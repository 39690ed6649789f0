#!/usr/bin/env bash
# On a fresh GPU machine, from the repository root: install what is missing from wheels
# carried in .whl/ (the machine reaches no package index), run tests/test_gpu.py, then the
# GPU benchmark and the same presets on the CPU beside it. Logs go to $OUT (default
# ./gpu-check-out). Budget: about 8 minutes in all.
#   bash benchmarks/gpu_check.sh [XL]     # with XL: also XL as Parquet, end to end
set -u
OUT=${OUT:-$PWD/gpu-check-out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
if compgen -G ".whl/*.whl" >/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/ecomgen-site .whl/*.whl || exit 3
  export PYTHONPATH=/tmp/ecomgen-site PATH=/tmp/ecomgen-site/bin:$PATH
fi
export PYTHONPATH=$PWD/src:$PWD:${PYTHONPATH:-}
t0=$(date +%s)
step() { echo "== $* (at $(( $(date +%s) - t0 )) s)"; }

step machine
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
nproc
python3 -c "import sys, numpy, cupy, polars, pyarrow; print(sys.version.split()[0], 'numpy',
numpy.__version__, 'cupy', cupy.__version__, 'polars', polars.__version__, 'pyarrow',
pyarrow.__version__)"

step "tests/test_gpu.py"
timeout 200 python3 -m pytest -q -p no:cacheprovider -o addopts= tests/test_gpu.py \
  tests/test_backend_neutral.py 2>&1 | tee "$OUT/test_gpu.log" | tail -40

step "simulation only: GPU S M L, CPU S M"
timeout 200 python3 benchmarks/gpu_bench.py --sim S M L --cpu-sim S M --budget 170 \
  --json "$OUT/gpu_sim.json" 2>&1 | tee "$OUT/gpu_sim.log" | tail -25

if [ "${1:-}" = XL ]; then
  step "XL as Parquet with --use-gpu, end to end"
  rm -rf /tmp/xl
  /usr/bin/time -v timeout 240 python3 -m ecomgen generate --preset XL --format parquet \
    --use-gpu --outdir /tmp/xl --no-validation --no-report 2>&1 | tee "$OUT/xl.log" \
    | grep -E "rows|Elapsed|Maximum resident|error|Error|took|s$" | tail -30
fi
step done
