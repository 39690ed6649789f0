"""Expected demand: how views spread over categories and products (used to size stock)."""

from __future__ import annotations

import numpy as np

from ecomgen.config import Config
from ecomgen.kernels import fmath_arrays as fm


def category_traffic(cfg: Config, cat_start: np.ndarray) -> np.ndarray:
    """Configured traffic share of each category, zero for categories without products."""
    share = np.array([c.traffic_share for c in cfg.CATEGORIES.values()], dtype=np.float64)
    share = np.where(np.diff(cat_start) > 0, share, 0.0)
    return share / share.sum()


def zipf_probs(n: int, s: float, offset: float = 0.0) -> np.ndarray:
    """Probability of each rank 0..n-1 under :meth:`ecomgen.rng.Stream.zipf_rank`."""
    lo = 1.0 + offset
    r = np.arange(n + 1, dtype=np.float64) + lo
    if abs(s - 1.0) < 1e-9:
        edges = fm.log_v(np, r / lo) / fm.host.log(float((n + lo) / lo))
    else:
        a = 1.0 - s
        lo_a = fm.host.pow(lo, a)
        edges = (fm.pow_v(np, r, a) - lo_a) / (fm.host.pow(n + lo, a) - lo_a)
    return np.diff(edges)


def product_view_rate(cfg: Config, cat_start: np.ndarray) -> np.ndarray:
    """Expected views per day of every product (sorted by category, then popularity)."""
    share = category_traffic(cfg, cat_start)
    exps = [t.popularity_exponent for t in cfg.SESSION_TYPES.values()]
    weights = [t.weight for t in cfg.SESSION_TYPES.values()]
    out = np.zeros(int(cat_start[-1]))
    for c in range(len(share)):
        n = int(cat_start[c + 1] - cat_start[c])
        if n == 0:
            continue
        q = cfg.TRAFFIC.popularity_offset
        probs = sum(w * zipf_probs(n, s, q) for w, s in zip(weights, exps, strict=True))
        probs = probs / sum(weights)
        out[cat_start[c]:cat_start[c + 1]] = cfg.avg_views_per_day * share[c] * probs
    return out


def units_per_view(cfg: Config) -> float:
    """Expected units sold per product view for an average customer."""
    segs = cfg.CUSTOMER_SEGMENTS.values()
    keep = 1.0 - sum(s.weight * s.cart_abandonment_rate for s in segs)
    return cfg.TRAFFIC.base_cart_rate * (1.0 - cfg.TRAFFIC.remove_rate) * keep * 1.1
