#!/usr/bin/env bash
# On a fresh GPU machine, from the repository root. The machine reaches no package index:
# benchmarks/gpu_wheels.sh downloads the missing wheels into .whl/1 .whl/2 .whl/3 here,
# and each call carries one of them (64 MiB a call):
#   bash benchmarks/gpu_check.sh install   # carry .whl/N: adds its wheels to /tmp/ecomgen-site
#   bash benchmarks/gpu_check.sh [XL]      # the checks (about 8 minutes; 12 with XL)
# The checks: tests/test_gpu.py (CPU and GPU byte for byte, our math on the device bit for
# bit against the CPU on ten million inputs per function, the keyed draws), launches and
# syncs per simulated day on the device, the simulation alone on the GPU and the CPU, and
# with XL: XL as Parquet with --use-gpu end to end, and on the 16 CPU threads beside it.
# Logs go to $OUT (default ./gpu-check-out).
set -u
OUT=${OUT:-$PWD/gpu-check-out}
SITE=/tmp/ecomgen-site
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
if compgen -G ".whl/*/*.whl" >/dev/null || compgen -G ".whl/*.whl" >/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target "$SITE" $(ls .whl/*.whl .whl/*/*.whl 2>/dev/null) || exit 3
fi
[ "${1:-}" = install ] && { ls "$SITE"; exit 0; }
export PYTHONPATH=$PWD/src:$PWD:$SITE:${PYTHONPATH:-} PATH=$SITE/bin:$PATH
t0=$(date +%s)
step() { echo "== $* (at $(( $(date +%s) - t0 )) s)"; }

step machine
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
nproc
python3 -c "import sys, numpy, cupy, polars, pyarrow, numba, numba_cuda; print(sys.version.split()[0],
'numpy', numpy.__version__, 'cupy', cupy.__version__, 'polars', polars.__version__, 'pyarrow',
pyarrow.__version__, 'numba', numba.__version__, 'numba-cuda', numba_cuda.__version__)"

step "tests/test_gpu.py (and the backend-neutral paths)"
timeout 300 python3 -m pytest -q -p no:cacheprovider -o addopts= tests/test_gpu.py \
  tests/test_backend_neutral.py 2>&1 | tee "$OUT/test_gpu.log" | tail -40

step "simulation only: GPU S M L, CPU S M; kernel launches and syncs per day"
timeout 240 python3 benchmarks/gpu_bench.py --sim S M L --cpu-sim S M --budget 200 \
  --json "$OUT/gpu_sim.json" 2>&1 | tee "$OUT/gpu_sim.log" | tail -25

if [ "${1:-}" = XL ]; then
  step "XL as Parquet with --use-gpu, end to end"
  rm -rf /tmp/xl
  /usr/bin/time -v timeout 200 python3 -m ecomgen generate --preset XL --format parquet \
    --use-gpu --outdir /tmp/xl --no-validation --no-report 2>&1 | tee "$OUT/xl_gpu.log" \
    | grep -E "rows|Elapsed|Maximum resident|error|Error|took|s$" | tail -30
  step "XL as Parquet on the CPU's threads, end to end"
  rm -rf /tmp/xl
  /usr/bin/time -v timeout 200 python3 -m ecomgen generate --preset XL --format parquet \
    --outdir /tmp/xl --no-validation --no-report 2>&1 | tee "$OUT/xl_cpu.log" \
    | grep -E "rows|Elapsed|Maximum resident|error|Error|took|s$" | tail -30
fi
step done
