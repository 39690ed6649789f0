"""Every phase's CUDA kernel (numba-cuda, run by its simulator on the CPU) writes what its
CPU kernel does, launch by launch, through a short simulation (tests/cudasim_check.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ecomgen.kernels.launch import PHASES

ROOT = Path(__file__).resolve().parents[1]


def test_cuda_kernels_equal_cpu_kernels_under_the_simulator() -> None:
    """All phases are launched and compared; none differs."""
    path = os.pathsep.join([str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1", "PYTHONPATH": path}
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "cudasim_check.py")],
                          env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    assert f"phases equal: {' '.join(sorted(PHASES))}" in proc.stdout, proc.stdout
