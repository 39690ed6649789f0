"""A counting array namespace: NumPy underneath, CuPy's shape on top.

Every call that would launch a device kernel is counted, and every place where CuPy has to
wait for the device and copy to the host (a Python ``bool``/``int``/``float`` of an array,
``item``, ``asnumpy``, a boolean mask, ``nonzero``, ``unique``) is counted as a sync, each
under the simulation function that made it. The simulation takes its CuPy branches (the
namespace is not ``numpy``), so the counts are those a GPU run would make.
"""

from __future__ import annotations

import sys
import types
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

SRC = str(Path(__file__).resolve().parents[1] / "src" / "ecomgen")
#: Functions whose output size depends on the data: CuPy waits for the device to know it.
SIZED = {"nonzero", "flatnonzero", "unique", "argwhere", "extract", "compress"}
#: Calls that make no kernel (metadata, views, dtype objects).
FREE = {"broadcast_to", "broadcast_shapes", "shape", "ndim", "result_type", "dtype",
        "iinfo", "finfo", "can_cast", "promote_types", "reshape", "ravel", "atleast_1d"}


@dataclass
class Tally:
    """Launches and syncs, in total and by calling site."""

    launches: int = 0
    syncs: int = 0
    uploads: int = 0
    by_site: Counter[tuple[str, str]] = field(default_factory=Counter)
    active: bool = True

    def site(self) -> str:
        """``file:function`` of the nearest simulation frame outside the array helpers."""
        f = sys._getframe(2)
        while f is not None:
            name = f.f_code.co_filename
            if name.startswith(SRC) and not name.endswith(("backend.py",)):
                return f"{Path(name).stem}:{f.f_code.co_name}"
            f = f.f_back  # type: ignore[assignment]
        return "?"

    def launch(self, n: int = 1) -> None:
        """Count ``n`` kernel launches."""
        if self.active:
            self.launches += n
            self.by_site[("launch", self.site())] += n

    def sync(self) -> None:
        """Count one wait for the device with a copy to the host."""
        if self.active:
            self.syncs += 1
            self.by_site[("sync", self.site())] += 1


TALLY = Tally()


def per_day(run: Any) -> tuple[float, float, Counter[tuple[str, str]]]:
    """Launches and syncs per simulated day of ``run(progress)`` (days after the first,
    so entity generation and first-day warm-up stay out), and the per-day tally by site."""
    marks: list[tuple[int, int, int]] = []
    first: Counter[tuple[str, str]] = Counter()

    def progress(day: int, days: int) -> None:
        marks.append((day, TALLY.launches, TALLY.syncs))
        if len(marks) == 1:
            first.update(TALLY.by_site)

    TALLY.launches = TALLY.syncs = TALLY.uploads = 0
    TALLY.by_site.clear()
    run(progress)
    (d0, l0, s0), (d1, l1, s1) = marks[0], marks[-1]
    days = max(d1 - d0, 1)
    sites = Counter({k: round(v / days) for k, v in (TALLY.by_site - first).items()})
    return (l1 - l0) / days, (s1 - s0) / days, sites


def _plain(x: Any) -> Any:
    if isinstance(x, Dev):
        return x.view(np.ndarray)
    if isinstance(x, list | tuple):
        return type(x)(_plain(v) for v in x)
    return x


def _wrap(x: Any) -> Any:
    if isinstance(x, np.ndarray) and not isinstance(x, Dev):
        return x.view(Dev)
    if isinstance(x, tuple):
        return tuple(_wrap(v) for v in x)
    if isinstance(x, list):
        return [_wrap(v) for v in x]
    return x


def _is_mask(key: Any) -> bool:
    keys = key if isinstance(key, tuple) else (key,)
    return any(isinstance(k, np.ndarray) and k.dtype == bool for k in keys)


def _is_fancy(key: Any) -> bool:
    keys = key if isinstance(key, tuple) else (key,)
    return any(isinstance(k, np.ndarray | list) for k in keys)


class Dev(np.ndarray):
    """A 'device' array: NumPy data, CuPy costs."""

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        TALLY.launch()
        kwargs = {k: _plain(v) for k, v in kwargs.items()}
        return _wrap(getattr(ufunc, method)(*_plain(inputs), **kwargs))

    def __array_function__(self, func: Any, types_: Any, args: Any, kwargs: Any) -> Any:
        name = func.__name__
        if name not in FREE:
            TALLY.launch()
        if name in SIZED:
            TALLY.sync()
        return _wrap(func(*_plain(args), **{k: _plain(v) for k, v in kwargs.items()}))

    def __getitem__(self, key: Any) -> Any:
        key = _plain(key)
        if _is_mask(key):
            TALLY.launch()
            TALLY.sync()
        elif _is_fancy(key):
            TALLY.launch()
        # CuPy keeps even a single element on the device: a 0-d array.
        return _wrap(np.asarray(np.ndarray.__getitem__(self.view(np.ndarray), key)))

    def __setitem__(self, key: Any, value: Any) -> None:
        key = _plain(key)
        if _is_mask(key):
            TALLY.sync()
        TALLY.launch()
        np.ndarray.__setitem__(self.view(np.ndarray), key, _plain(value))

    def _host_value(self, kind: Any) -> Any:
        TALLY.sync()
        return kind(self.view(np.ndarray))

    def __bool__(self) -> bool:
        return self._host_value(bool)

    def __int__(self) -> int:
        return self._host_value(int)

    def __float__(self) -> float:
        return self._host_value(float)

    def __index__(self) -> int:
        return self._host_value(int)

    def item(self, *args: Any) -> Any:
        """A host scalar (a sync)."""
        TALLY.sync()
        return self.view(np.ndarray).item(*args)

    def tolist(self) -> Any:
        """A host list (a sync)."""
        TALLY.sync()
        return self.view(np.ndarray).tolist()

    def get(self) -> np.ndarray:
        """Host copy, as CuPy's ``ndarray.get`` (a sync)."""
        TALLY.sync()
        return np.array(self.view(np.ndarray))

    def astype(self, dtype: Any, copy: bool = True, **kw: Any) -> Any:  # noqa: D102
        if copy or np.dtype(dtype) != self.dtype:
            TALLY.launch()
        return _wrap(self.view(np.ndarray).astype(dtype, copy=copy, **kw))

    def copy(self, *args: Any, **kw: Any) -> Any:  # noqa: D102
        TALLY.launch()
        return _wrap(self.view(np.ndarray).copy(*args, **kw))


class CountingKernel:
    """Stands in for ``cupy.ElementwiseKernel``: one launch, computed by the kernel's NumPy
    reference (``ecomgen.rng.REFERENCES``)."""

    def __init__(self, in_params: str, out_params: str, operation: str, name: str,
                 **kwargs: Any) -> None:
        self.name = name

    def __call__(self, *args: Any) -> Any:
        from ecomgen.rng import REFERENCES

        TALLY.launch()
        was, TALLY.active = TALLY.active, False
        try:
            return _wrap(np.asarray(REFERENCES[self.name](*_plain(args))))
        finally:
            TALLY.active = was


class _Pool:
    def free_all_blocks(self) -> None:
        """Nothing to free on the host."""


def counting_namespace(kernels: bool = True) -> Any:
    """A module-like namespace forwarding to NumPy, counting as CuPy would cost (with
    ``kernels``, fused elementwise kernels count as one launch each, as on CuPy)."""
    xp = types.ModuleType("counting_cupy")
    if kernels:
        xp.ElementwiseKernel = CountingKernel  # type: ignore[attr-defined]

    def lookup(name: str) -> Any:
        obj = getattr(np, name)
        if isinstance(obj, type) or not callable(obj):
            return obj  # dtypes, scalar types and constants

        def call(*args: Any, **kwargs: Any) -> Any:
            if name not in FREE:
                TALLY.launch()
            if name in SIZED:
                TALLY.sync()
            if name == "argsort":
                kwargs["kind"] = "stable"  # CuPy's radix sort is stable
            out = obj(*_plain(args), **{k: _plain(v) for k, v in kwargs.items()})
            return _wrap(out)

        return call

    xp.__getattr__ = lookup  # type: ignore[attr-defined]

    def asarray(a: Any, dtype: Any = None) -> Any:
        if isinstance(a, Dev):
            return a if dtype is None or np.dtype(dtype) == a.dtype else a.astype(dtype)
        if isinstance(a, np.ndarray) and a.ndim and TALLY.active:
            TALLY.uploads += 1
        return _wrap(np.asarray(a, dtype=dtype))

    def asnumpy(a: Any) -> np.ndarray:
        if isinstance(a, Dev):
            TALLY.sync()
            return np.array(a.view(np.ndarray))
        return np.asarray(a)

    xp.asarray = asarray  # type: ignore[attr-defined]
    xp.array = asarray  # type: ignore[attr-defined]
    xp.asnumpy = asnumpy  # type: ignore[attr-defined]
    xp.get_default_memory_pool = _Pool  # type: ignore[attr-defined]
    xp.cuda = types.SimpleNamespace(  # type: ignore[attr-defined]
        memory=types.SimpleNamespace(OutOfMemoryError=MemoryError))
    return xp
