"""Merchants: sellers with a type (stocking strategy), a warehouse city and a rating."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from ecomgen.config import Config
from ecomgen.entities import vocabulary as voc
from ecomgen.entities.customers import day_number
from ecomgen.entities.products import CatalogueTables
from ecomgen.kernels import fmath_arrays as fm
from ecomgen.rng import Rng, to_numpy
from ecomgen.schema import Cat

Batch = dict[str, Any]

#: Merchants joined between these many days before the period's start.
JOIN_DAYS_BEFORE = (30, 6 * 365)
SELLER_RATING_MEAN = 4.2
SELLER_RATING_SD = 0.35


#: Pareto shape of merchant sizes (how often a merchant is picked to list a product): a
#: few large sellers carry most listings.
SIZE_ALPHA = 1.2
#: Largest size relative to the smallest.
SIZE_CAP = 1_000.0


@dataclass
class Merchants:
    """Merchant types, home categories, brands and sizes (arrays of ``rng.xp``) plus the
    host output table."""

    merchant_type: Any
    home: Any  # category index a specialised merchant sells (every merchant has one)
    brand: Any  # brand label code of a brand store (CatalogueTables.brand_labels), else -1
    size: Any  # float64 relative size (heavy-tailed)
    table: Batch

    @property
    def n(self) -> int:
        """Number of merchants."""
        return int(self.merchant_type.shape[0])


def make_merchants(cfg: Config, rng: Rng) -> Merchants:
    """Draw ``cfg.num_merchants`` merchants; the first ones cover every merchant type once."""
    xp = rng.xp
    n = cfg.num_merchants
    ids = xp.arange(n, dtype=xp.int64)
    types = list(cfg.MERCHANT_TYPES)
    drawn = rng.stream("merchants.type").choice(
        [t.weight for t in cfg.MERCHANT_TYPES.values()], ids)
    merchant_type = xp.where(ids < len(types), ids, drawn).astype(xp.int64)

    city_names, city_states, city_tiers = voc.cities()
    city = rng.stream("merchants.city").choice(
        voc.city_weights(city_tiers, voc.MERCHANT_TIER_SHARES), ids)
    rating = rng.stream("merchants.rating").normal(ids, mean=SELLER_RATING_MEAN,
                                                   sd=SELLER_RATING_SD)
    rating = xp.rint(xp.clip(rating, 1.0, 5.0) * 10.0) / 10.0
    back = rng.stream("merchants.join").integers(JOIN_DAYS_BEFORE[0], JOIN_DAYS_BEFORE[1] + 1,
                                                 ids)
    join_day = day_number(cfg.start) - back

    cats = list(cfg.CATEGORIES.values())
    tab = CatalogueTables.of(cats)
    home = rng.stream("merchants.home").choice([c.product_share for c in cats], ids)
    n_brands = xp.asarray([len(c.brands) for c in cats], dtype=xp.int64)[home]
    brand_start = xp.asarray(np.concatenate([[0], np.cumsum([len(c.brands) for c in cats])[
        :-1]]).astype(np.int64))[home]
    cat_brand_code = np.array([tab.brand_labels.index(b) for c in cats for b in c.brands],
                              dtype=np.int64)
    local_brand = rng.stream("merchants.brand").zipf_rank(n_brands, 0.8, ids)
    names = list(cfg.MERCHANT_TYPES)
    is_store = merchant_type == (names.index("brand_store") if "brand_store" in names else -1)
    brand = xp.where(is_store, xp.asarray(cat_brand_code)[brand_start + local_brand], -1)
    u = rng.stream("merchants.size").uniform_open(ids)
    size = xp.minimum(fm.pow_v(xp, u, -1.0 / SIZE_ALPHA), SIZE_CAP)

    mtype, city_h = to_numpy(merchant_type), to_numpy(city)
    state_labels = tuple(dict.fromkeys(city_states))
    state_of_city = np.array([state_labels.index(s) for s in city_states], dtype=np.int64)
    table: Batch = {
        "merchant_id": np.arange(1, n + 1, dtype=np.int64),
        "merchant_name": _names(cfg, rng, ids, mtype, city_h, city_names, to_numpy(brand),
                                tab.brand_labels),
        "merchant_type": Cat(mtype, tuple(types)),
        "city": Cat(city_h, city_names),
        "state": Cat(state_of_city[city_h], state_labels),
        "seller_rating": to_numpy(rating),
        "join_date": to_numpy(join_day).astype(np.int64),
    }
    return Merchants(merchant_type=merchant_type, home=home, brand=brand, size=size,
                     table=table)


def _names(cfg: Config, rng: Rng, ids: Any, mtype: np.ndarray, city: np.ndarray,
           city_names: tuple[str, ...], brand: np.ndarray, brands: tuple[str, ...]
           ) -> pl.Series:
    """Trading names: its brand (brand stores), a city (wholesalers) or a family name, plus
    a suffix that fits the merchant's type."""
    surnames = voc.last_names()
    brand = np.maximum(brand, 0)
    family = to_numpy(rng.stream("merchants.name_family").integers(0, len(surnames), ids))

    suffix_lists = [voc.MERCHANT_SUFFIXES.get(t, voc.GENERIC_MERCHANT_SUFFIXES)
                    for t in cfg.MERCHANT_TYPES]
    sizes = np.array([len(s) for s in suffix_lists], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    pool = [s for lst in suffix_lists for s in lst]
    local = to_numpy(rng.stream("merchants.name_suffix").integers(
        0, rng.xp.asarray(sizes[mtype]), ids))

    names = list(cfg.MERCHANT_TYPES)
    brand_type = names.index("brand_store") if "brand_store" in names else -1
    city_type = names.index("wholesaler") if "wholesaler" in names else -1
    frame = pl.DataFrame({
        "brand": voc.take(brands, brand), "family": voc.take(surnames, family),
        "city": voc.take(city_names, city), "suffix": voc.take(pool, offsets[mtype] + local),
        "type": mtype,
    })
    head = (pl.when(pl.col("type") == brand_type).then(pl.col("brand"))
            .when(pl.col("type") == city_type).then(pl.col("city"))
            .otherwise(pl.col("family")))
    return frame.select(pl.concat_str([head, pl.lit(" "), pl.col("suffix")])
                        .alias("merchant_name")).to_series()
