#!/usr/bin/env bash
# Download the wheels a bare GPU machine lacks (it reaches no package index) into three
# folders under .whl/ (ignored by git), each small enough for one call's carry:
#   .whl/1  llvmlite
#   .whl/2  polars, numba, numba-cuda, cuda-pathfinder
#   .whl/3  duckdb, cuda-bindings, cuda-core, pydantic and what it needs, psutil, tzdata
# Versions come from requirements/lock.txt. Then, on the machine, one call per folder:
#   bash benchmarks/gpu_check.sh install      (carry .whl/1, then .whl/2, then .whl/3)
#   bash benchmarks/gpu_check.sh XL           (the tests, the benchmark, XL)
set -euo pipefail
cd "$(dirname "$0")/.."
pin() { grep -E "^$1==" requirements/lock.txt | head -1; }
get() { dir=.whl/$1; shift; mkdir -p "$dir"; python3 -m pip download --quiet --no-deps \
  --only-binary=:all: --python-version 3.11 --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 -d "$dir" "$@"; }
get 1 "$(pin llvmlite)"
get 2 "$(pin polars)" "$(pin polars-runtime-32)" "$(pin numba)" "$(pin numba-cuda)" \
  "$(pin cuda-pathfinder)"
get 3 "$(pin duckdb)" "$(pin cuda-bindings)" "$(pin cuda-core)" "$(pin pydantic)" \
  "$(pin pydantic-core)" "$(pin typing-inspection)" "$(pin annotated-types)" \
  "$(pin psutil)" "$(pin tzdata)"
du -sh .whl/*
