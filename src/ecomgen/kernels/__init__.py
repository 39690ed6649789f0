"""Compiled code: platform-independent math, keyed draws and the day's phase kernels.

Every function here is plain scalar Python compiled by Numba: ``njit`` for the CPU, and the
same Python functions retargeted by numba-cuda as device functions when a CUDA kernel calls
them, so one source serves both backends.
"""
