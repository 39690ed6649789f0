"""Products: the catalogue, sorted by category and, within one, by popularity rank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from ecomgen.config import Category, Config
from ecomgen.entities import vocabulary as voc
from ecomgen.entities.customers import day_number
from ecomgen.kernels import fmath_arrays as fm
from ecomgen.rng import Rng, to_numpy
from ecomgen.schema import Cat
from ecomgen.simulation.arrays import group_ids, pick_in_group, stable_order

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
#: Product-line words of goods sold without a model code (groceries): "Tata Gold Tea 500 g".
PRODUCT_LINES = ("Classic", "Gold", "Premium", "Select", "Lite", "Natural", "Pure", "Fresh",
                 "Original", "Plus", "Active", "Special", "Super", "Daily", "Family", "Rich")


@dataclass
class Products:
    """Product attributes (arrays of ``rng.xp``), category blocks and the host table."""

    category: Any
    subcategory: Any
    brand: Any
    base_price: Any
    reference_price: Any  # float64 paise: typical MRP of its subcategory and variant
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


#: The best sellers of a subcategory (its first MAINSTREAM_TOP by popularity) have their
#: price spread scaled down, to MAINSTREAM_SPREAD for the very best seller.
MAINSTREAM_TOP = 5
MAINSTREAM_SPREAD = 0.4


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

    tab = CatalogueTables.of(cats)
    # Subcategories and variants are spread over the popularity ranks (a jittered golden-
    # ratio sequence): each subcategory's best sellers sit at evenly spaced category ranks
    # and are a mix of its variants, so no subcategory hangs on one chance best seller.
    cat_ids = xp.arange(len(cats), dtype=xp.int64)
    u_sub = _spread(xp, rank, rng.stream("products.subcategory_offset").uniform(cat_ids)[
        category], rng.stream("products.subcategory").uniform(ids))
    sub = pick_in_group(xp, category, tab.sub_cdf, u_sub)

    # A subcategory's best seller is its mainstream variant (the middle of the variant
    # weights: the 43-inch TV, the 8 GB phone); the next ones spread from there.
    sub_rank = _rank_within(xp, sub)
    u_var = _spread(xp, sub_rank, 0.5, rng.stream("products.variant").uniform(ids))
    variant = pick_in_group(xp, sub, tab.variant_cdf, u_var)
    nbrand = xp.asarray(tab.brand_count)[variant]
    brand_entry = xp.asarray(tab.brand_start)[variant] + rng.stream(
        "products.brand").zipf_rank(nbrand, BRAND_ZIPF, ids)
    subcategory = xp.asarray(tab.sub_code)[sub]
    brand = xp.asarray(tab.brand_code)[brand_entry]

    def per_cat(attr: str) -> Any:
        return xp.asarray([float(getattr(c, attr)) for c in cats], dtype=xp.float64)[category]

    median = (xp.asarray(tab.sub_median)[sub] * xp.asarray(tab.variant_factor)[variant]
              * xp.asarray(tab.brand_factor)[brand_entry])
    # Best sellers are mainstream models: the top MAINSTREAM_TOP of a subcategory are priced
    # closer to its typical price; budget and premium outliers sit further down the ranks.
    mainstream = MAINSTREAM_SPREAD + (1.0 - MAINSTREAM_SPREAD) * xp.minimum(
        sub_rank / MAINSTREAM_TOP, 1.0)
    raw = rng.stream("products.price").lognormal(
        ids, median=median, sigma=xp.asarray(tab.sub_sigma)[sub] * mainstream)
    lo, hi = per_cat("price_min"), per_cat("price_max")
    rupees = price_point(xp.clip(raw, lo, hi), xp)
    # a price point may step just outside the bounds: fall back to whole rupees inside them
    rupees = xp.clip(rupees, xp.ceil(lo).astype(xp.int64), xp.floor(hi).astype(xp.int64))
    base_price = rupees * 100
    # Shoppers compare a product with others of its kind: same subcategory and variant (a
    # 55-inch TV with 55-inch TVs); the size or spec itself is chosen by need.
    reference_price = (xp.asarray(tab.sub_median)[sub]
                       * xp.asarray(tab.variant_factor)[variant] * 100.0)

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
    sub_labels, brand_labels = tab.sub_labels, tab.brand_labels
    product_id = np.arange(1, n + 1, dtype=np.int64)
    table: Batch = {
        "product_id": product_id,
        "sku": product_id.copy(),
        "product_name": _names(rng, ids, tab, to_numpy(sub), to_numpy(variant),
                               brand_labels, h_brand),
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
                    base_price=base_price, reference_price=reference_price,
                    quality=quality, launch_day=launch_day,
                    cat_start=cat_start, subcategory_labels=sub_labels,
                    brand_labels=brand_labels, table=table)


@dataclass(frozen=True)
class CatalogueTables:
    """The configured catalogue as flat host tables: subcategories in category order, their
    variants in subcategory order and the brands that make each variant, with group-shifted
    cumulative weights."""

    sub_labels: tuple[str, ...]
    brand_labels: tuple[str, ...]
    sub_code: np.ndarray  # [S] label code of each subcategory
    sub_cdf: np.ndarray  # [S] category index + cumulative share within the category
    sub_median: np.ndarray  # [S] median MRP, rupees
    sub_sigma: np.ndarray  # [S]
    sub_noun: tuple[str, ...]
    sub_model_code: np.ndarray  # [S] bool
    brand_start: np.ndarray  # [V] first brand entry of each variant
    brand_count: np.ndarray  # [V]
    brand_code: np.ndarray  # [B] brand label code of each entry
    brand_factor: np.ndarray  # [B] MRP factor of the brand in the subcategory
    variant_cdf: np.ndarray  # [V] subcategory index + cumulative weight within it
    variant_factor: np.ndarray  # [V] normalised MRP factor
    variant_labels: tuple[str, ...]  # [V] ("" where a subcategory has no variants)

    @classmethod
    def of(cls, cats: list[Category]) -> CatalogueTables:
        """Flatten the categories' subcategories, brands and variants."""
        sub_labels = tuple(dict.fromkeys(n for c in cats for n in c.subcategories))
        brand_labels = tuple(dict.fromkeys(b for c in cats for b in c.brands))
        s_idx = {n: i for i, n in enumerate(sub_labels)}
        b_idx = {n: i for i, n in enumerate(brand_labels)}
        code, cdf, med, sig, noun, mcode, bstart, bcount = [], [], [], [], [], [], [], []
        bcode, bfac, vcdf, vfac, vlab = [], [], [], [], []
        for ci, c in enumerate(cats):
            subs = list(c.subcategories.items())
            w = np.cumsum([s.share for _, s in subs])
            for (name, s), cw in zip(subs, w / w[-1], strict=True):
                si = len(code)
                code.append(s_idx[name])
                cdf.append(ci + cw)
                med.append(c.price_median if s.price_median is None else s.price_median)
                sig.append(c.price_sigma if s.price_sigma is None else s.price_sigma)
                noun.append(s.noun)
                mcode.append(s.model_code)
                brands = s.brands or c.brands
                for v in s.variants or [None]:  # the brands that make each variant
                    makers = [b for b in brands if v is None or not v.brands or b in v.brands]
                    bstart.append(len(bcode))
                    bcount.append(len(makers))
                    bcode += [b_idx[b] for b in makers]
                    bfac += [s.brand_price.get(b, 1.0) for b in makers]
                vs = [(v.label, v.price_factor, v.weight) for v in s.variants] or [("", 1, 1)]
                vw = np.array([v[2] for v in vs], dtype=np.float64)
                vf = np.array([v[1] for v in vs], dtype=np.float64)
                vfac += list(vf / fm.host.exp(float((vw * fm.log_v(np, vf)).sum() / vw.sum())))
                vcdf += list(si + np.cumsum(vw) / vw.sum())
                vlab += [v[0] for v in vs]
        f64, i64 = np.float64, np.int64
        return cls(sub_labels, brand_labels, np.array(code, i64), np.array(cdf, f64),
                   np.array(med, f64), np.array(sig, f64), tuple(noun), np.array(mcode, bool),
                   np.array(bstart, i64), np.array(bcount, i64), np.array(bcode, i64),
                   np.array(bfac, f64), np.array(vcdf, f64), np.array(vfac, f64), tuple(vlab))


#: Fractional part of the golden ratio; SPREAD_JITTER: share of a step left to chance.
GOLDEN = 0.6180339887498949
SPREAD_JITTER = 0.2


def _spread(xp: Any, rank: Any, offset: Any, u: Any) -> Any:
    """Uniforms in [0, 1) that cover [0, 1) evenly along ``rank`` (golden-ratio sequence
    shifted by ``offset``), jittered by ``u``."""
    x = rank.astype(xp.float64) * GOLDEN + offset + SPREAD_JITTER * (u - 0.5)
    return x - xp.floor(x)


def _rank_within(xp: Any, group: Any) -> Any:
    """0-based position of each entry among the entries of its ``group`` (input order)."""
    order = stable_order(xp, group)
    gid, starts = group_ids(xp, group[order])
    out = xp.empty_like(group)
    out[order] = xp.arange(gid.shape[0], dtype=xp.int64) - starts[gid]
    return out


def _names(rng: Rng, ids: Any, tab: CatalogueTables, sub: np.ndarray, variant: np.ndarray,
           brand_labels: tuple[str, ...], brand: np.ndarray) -> pl.Series:
    """Brand, model code (or a product-line word), noun and variant: "Samsung KT-482
    Smartphone, 8 GB RAM, 128 GB", "Roadster MX-311 Men's T-shirt", "Aashirvaad Select Atta
    5 kg"."""
    k = len(_MODEL_LETTERS)
    a = to_numpy(rng.stream("products.model_a").integers(0, k, ids))
    b = to_numpy(rng.stream("products.model_b").integers(0, k, ids))
    num = to_numpy(rng.stream("products.model_num").integers(100, 1000, ids))
    frame = pl.DataFrame({"brand": voc.take(brand_labels, brand),
                          "noun": voc.take(tab.sub_noun, sub),
                          "variant": voc.take(tab.variant_labels, variant),
                          "coded": tab.sub_model_code[sub],
                          "line": voc.take(PRODUCT_LINES, to_numpy(rng.stream(
                              "products.line").integers(0, len(PRODUCT_LINES), ids))),
                          "a": voc.take(_MODEL_LETTERS, a), "b": voc.take(_MODEL_LETTERS, b),
                          "num": num})
    code = pl.when(pl.col("coded")).then(pl.concat_str(
        [pl.lit(" "), pl.col("a"), pl.col("b"), pl.lit("-"), pl.col("num").cast(pl.String)]
    )).otherwise(pl.lit(" ") + pl.col("line"))
    noun = pl.when(pl.col("noun") != "").then(pl.lit(" ") + pl.col("noun")).otherwise(pl.lit(""))
    sep = pl.when(pl.col("noun") != "").then(pl.lit(", ")).otherwise(pl.lit(" "))
    variant = pl.when(pl.col("variant") != "").then(sep + pl.col("variant")).otherwise(
        pl.lit(""))
    return frame.select(pl.concat_str([pl.col("brand"), code, noun, variant])
                        .alias("product_name")).to_series()
