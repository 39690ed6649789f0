"""Compiled code: platform-independent math, keyed draws and the day's phase kernels.

Every function here is plain scalar Python compiled by Numba: ``njit`` for the CPU, and the
same Python functions retargeted by numba-cuda as device functions when a CUDA kernel calls
them, so one source serves both backends.
"""

import os

# The phase kernels run in many short parallel regions a day with Python glue between
# them: OpenMP threads that spin while they wait would burn a core doing nothing (measured:
# 14 CPU-s for 7 s of preset S). A user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
