"""Products: the catalogue, sorted by category and, within one, by popularity rank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from ecomgen.config import Config
from ecomgen.entities import vocabulary as voc
from ecomgen.entities.customers import day_number
from ecomgen.rng import Rng, to_numpy
from ecomgen.schema import Cat

Batch = dict[str, Any]

#: Share of each category's most popular products launched before the period.
ESTABLISHED_SHARE = 0.2
#: Share of the other products launched before the period (the rest launch during it).
OTHERS_BEFORE = 0.85
LAUNCH_LOOKBACK_DAYS = 3 * 365
QUALITY_MEAN = 4.0
QUALITY_SD = 0.55
#: Extra latent quality of a category's best seller over its least popular product.
QUALITY_POPULARITY_BONUS = 0.3
#: Brands are picked with Zipf-like weights (a few brands carry most of a catalogue).
BRAND_ZIPF = 0.8
_MODEL_LETTERS = tuple("ABCDEFGHJKLMNPRSTUVWXZ")


@dataclass
class Products:
    """Product attributes (arrays of ``rng.xp``), category blocks and the host table."""

    category: Any
    subcategory: Any
    brand: Any
    base_price: Any
    quality: Any
    launch_day: Any
    cat_start: np.ndarray
    subcategory_labels: tuple[str, ...]
    brand_labels: tuple[str, ...]
    table: Batch

    @property
    def n(self) -> int:
        """Number of products."""
        return int(self.category.shape[0])


def category_counts(total: int, shares: list[float]) -> np.ndarray:
    """Largest-remainder split of ``total`` in proportion to ``shares`` (ties: first wins)."""
    w = np.asarray(shares, dtype=np.float64)
    exact = total * w / w.sum()
    counts = np.floor(exact).astype(np.int64)
    left = total - int(counts.sum())
    order = np.lexsort((np.arange(len(w)), -(exact - counts)))
    counts[order[:left]] += 1
    return counts


def price_point(rupees: Any, xp: Any) -> Any:
    """Round prices to Indian retail price points ending in 9 (49, 799, 1,299, 12,999)."""
    step = xp.where(rupees < 1_000, 10.0, xp.where(rupees < 10_000, 100.0, 1_000.0))
    rounded = xp.maximum(xp.floor(rupees / step + 0.5), 1.0) * step - 1.0
    return rounded.astype(xp.int64)


#: Storefront price steps: below the bound, prices end one rupee under a multiple of the
#: step (₹199, ₹549, ₹3,299, ₹18,499, ₹54,999).
STOREFRONT_STEPS = ((500, 10), (2_000, 50), (10_000, 100), (50_000, 500))
STOREFRONT_TOP_STEP = 1_000


def storefront_floor(rupees: Any, xp: Any) -> Any:
    """The highest storefront price at or below ``rupees`` (whole rupees, int64); prices too
    small for a step's ending keep their whole rupees (at least ₹1)."""
    step = xp.full(rupees.shape, float(STOREFRONT_TOP_STEP))
    for bound, s in reversed(STOREFRONT_STEPS):
        step = xp.where(rupees < bound, float(s), step)
    ending = xp.floor((rupees + 1.0) / step) * step - 1.0
    whole = xp.maximum(xp.floor(rupees), 1.0)
    return xp.where(ending >= 1.0, ending, whole).astype(xp.int64)


def make_products(cfg: Config, rng: Rng) -> Products:
    """Draw ``cfg.num_products`` products in category blocks (CATEGORIES order)."""
    xp = rng.xp
    cats = list(cfg.CATEGORIES.values())
    n = cfg.num_products
    counts = category_counts(n, [c.product_share for c in cats])
    cat_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    ids = xp.arange(n, dtype=xp.int64)
    category_h = np.repeat(np.arange(len(cats), dtype=np.int64), counts)
    rank_h = np.arange(n, dtype=np.int64) - cat_start[category_h]  # 0-based
    category, rank = xp.asarray(category_h), xp.asarray(rank_h)
    size = xp.asarray(counts)[category]

    sub_labels, sub_codes = _global_labels([c.subcategories for c in cats])
    brand_labels, brand_codes = _global_labels([c.brands for c in cats])
    nsub = xp.asarray([len(c.subcategories) for c in cats], dtype=xp.int64)[category]
    nbrand = xp.asarray([len(c.brands) for c in cats], dtype=xp.int64)[category]
    sub_local = rng.stream("products.subcategory").integers(0, nsub, ids)
    brand_local = rng.stream("products.brand").zipf_rank(nbrand, BRAND_ZIPF, ids)
    sub_off = xp.asarray(_offsets([c.subcategories for c in cats]))[category]
    brand_off = xp.asarray(_offsets([c.brands for c in cats]))[category]
    subcategory = xp.asarray(sub_codes)[sub_off + sub_local]
    brand = xp.asarray(brand_codes)[brand_off + brand_local]

    def per_cat(attr: str) -> Any:
        return xp.asarray([float(getattr(c, attr)) for c in cats], dtype=xp.float64)[category]

    raw = rng.stream("products.price").lognormal(
        ids, median=per_cat("price_median"), sigma=per_cat("price_sigma"))
    lo, hi = per_cat("price_min"), per_cat("price_max")
    rupees = price_point(xp.clip(raw, lo, hi), xp)
    # a price point may step just outside the bounds: fall back to whole rupees inside them
    rupees = xp.clip(rupees, xp.ceil(lo).astype(xp.int64), xp.floor(hi).astype(xp.int64))
    base_price = rupees * 100

    popular = 1.0 - rank / xp.maximum(size - 1, 1)  # 1 for the best seller, 0 for the last
    quality = rng.stream("products.quality").normal(
        ids, mean=QUALITY_MEAN + QUALITY_POPULARITY_BONUS * (popular - 0.5), sd=QUALITY_SD)
    quality = xp.rint(xp.clip(quality, 1.0, 5.0) * 100.0) / 100.0

    start = day_number(cfg.start)
    established = rank < xp.ceil(ESTABLISHED_SHARE * size)
    before = established | (rng.stream("products.launch_before").uniform(ids) < OTHERS_BEFORE)
    back = rng.stream("products.launch_back").integers(1, LAUNCH_LOOKBACK_DAYS + 1, ids)
    into = rng.stream("products.launch_into").integers(0, cfg.num_days, ids)
    launch_day = xp.where(before, start - back, start + into)

    h_sub, h_brand = to_numpy(subcategory), to_numpy(brand)
    product_id = np.arange(1, n + 1, dtype=np.int64)
    table: Batch = {
        "product_id": product_id,
        "sku": product_id.copy(),
        "product_name": _names(rng, ids, sub_labels, h_sub, brand_labels, h_brand),
        "category": Cat(category_h, tuple(cfg.CATEGORIES)),
        "subcategory": Cat(h_sub, sub_labels),
        "brand": Cat(h_brand, brand_labels),
        "base_price": to_numpy(base_price),
        "launch_date": to_numpy(launch_day),
        "quality_score": to_numpy(quality),
        "popularity_rank": rank_h + 1,
        "is_perishable": np.array([c.perishable for c in cats], dtype=bool)[category_h],
    }
    return Products(category=category, subcategory=subcategory, brand=brand,
                    base_price=base_price, quality=quality, launch_day=launch_day,
                    cat_start=cat_start, subcategory_labels=sub_labels,
                    brand_labels=brand_labels, table=table)


def _global_labels(per_cat: list[list[str]]) -> tuple[tuple[str, ...], np.ndarray]:
    """Unique labels over all categories, and the global code of each per-category entry."""
    labels = tuple(dict.fromkeys(x for lst in per_cat for x in lst))
    index = {x: i for i, x in enumerate(labels)}
    return labels, np.array([index[x] for lst in per_cat for x in lst], dtype=np.int64)


def _offsets(per_cat: list[list[str]]) -> np.ndarray:
    sizes = np.array([len(lst) for lst in per_cat], dtype=np.int64)
    return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)


def _names(rng: Rng, ids: Any, sub_labels: tuple[str, ...], sub: np.ndarray,
           brand_labels: tuple[str, ...], brand: np.ndarray) -> pl.Series:
    """"<brand> <subcategory> <model code>", e.g. "Samsung Mobiles KT-482"."""
    k = len(_MODEL_LETTERS)
    a = to_numpy(rng.stream("products.model_a").integers(0, k, ids))
    b = to_numpy(rng.stream("products.model_b").integers(0, k, ids))
    num = to_numpy(rng.stream("products.model_num").integers(100, 1000, ids))
    frame = pl.DataFrame({"brand": voc.take(brand_labels, brand),
                          "sub": voc.take(sub_labels, sub),
                          "a": voc.take(_MODEL_LETTERS, a), "b": voc.take(_MODEL_LETTERS, b),
                          "num": num})
    return frame.select(pl.concat_str(
        [pl.col("brand"), pl.lit(" "), pl.col("sub"), pl.lit(" "), pl.col("a"), pl.col("b"),
         pl.lit("-"), pl.col("num").cast(pl.String)]).alias("product_name")).to_series()
