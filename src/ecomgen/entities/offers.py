"""Offers: which merchants list each product, at what price, with how much stock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomgen.config import Config
from ecomgen.entities.merchants import Merchants
from ecomgen.entities.products import storefront_floor
from ecomgen.kernels import fmath_arrays as fm
from ecomgen.rng import Rng, to_numpy
from ecomgen.simulation.arrays import expand, pick_in_group

#: Fixed-point scale of demand rates (units/day x 256), kept in integers for exactness.
FP = 256


@dataclass
class Offers:
    """Offer arrays, sorted by product: product p owns offers start[p] .. start[p]+count[p]-1."""

    product: Any  # int64 product index
    merchant: Any  # int64 merchant index
    mtype: Any  # int64 merchant-type code
    price: Any  # int64 paise
    initial_stock: Any  # int64 units
    reorder_point: Any  # int64 units
    prior_fp: Any  # int64 expected units/day x FP
    buybox: Any  # int64 buy-box weight (price- and merchant-type-weighted)
    start: Any  # int64 [P] first offer of each product
    count: Any  # int64 [P] offers of each product
    default: Any  # int64 [P] offer shown when none is in stock (highest buy-box weight)
    first_delivery: Any  # int64 day index of an unstocked listing's first delivery, else -1
    first_delivery_qty: Any  # int64 units of that delivery (0 for stocked listings)
    case_pack: Any  # int64 units per supplier case (stock comes in whole cases)
    last_order_day: Any  # int64 last day index the seller reorders (end of line), or a
    # day past the period

    @property
    def n(self) -> int:
        """Number of offers."""
        return int(self.product.shape[0])


#: Chance that a brand store of a product's brand lists the product.
BRAND_STORE_LISTS = 0.8


@dataclass(frozen=True)
class Sellers:
    """Per category, the merchants that may list its products (host tables): ``merchant``
    holds each category's list in turn (by merchant index), ``cdf`` the category index plus
    the cumulative listing weight within it; ``store_of[b]`` a brand store selling brand
    label b, or -1."""

    merchant: np.ndarray
    cdf: np.ndarray
    start: np.ndarray
    length: np.ndarray
    store_of: np.ndarray

    @classmethod
    def of(cls, cfg: Config, merchants: Merchants, n_brands: int) -> Sellers:
        """Specialised merchants list their own category only; brand stores list their own
        brand (as an extra offer); a category nobody specialises in is served by all."""
        types = list(cfg.MERCHANT_TYPES.values())
        mtype, home = to_numpy(merchants.merchant_type), to_numpy(merchants.home)
        brand, size = to_numpy(merchants.brand), to_numpy(merchants.size)
        store = brand >= 0  # only brand stores have a brand
        special = np.array([t.specialised for t in types], dtype=bool)[mtype]
        weight = np.array([t.catalogue_share + 1e-3 for t in types])[mtype] * size
        lists, cdfs = [], []
        for c in range(len(cfg.CATEGORIES)):  # a handful of categories
            ok = ~store & (~special | (home == c))
            if not ok.any():
                ok = ~store
            if not ok.any():
                ok = np.ones(mtype.shape[0], dtype=bool)
            m = np.nonzero(ok)[0]
            cum = np.cumsum(weight[m])
            lists.append(m)
            cdfs.append(c + cum / cum[-1])
        length = np.array([len(m) for m in lists], dtype=np.int64)
        store_of = np.full(n_brands, -1, dtype=np.int64)
        ids = np.nonzero(store)[0]
        brands_sold, first = np.unique(brand[ids], return_index=True)
        store_of[brands_sold] = ids[first]  # the first store of each brand
        only_stores = np.array([store[m].all() for m in lists])
        if only_stores.any():  # brand stores serve as generalists: no extra store offer
            store_of[:] = -1
        return cls(np.concatenate(lists), np.concatenate(cdfs),
                   np.concatenate([[0], np.cumsum(length)[:-1]]).astype(np.int64), length,
                   store_of)


def make_offers(cfg: Config, rng: Rng, category: Any, brand: Any, base_price: Any,
                cat_start: np.ndarray, merchants: Merchants, n_brands: int,
                product_units: np.ndarray) -> Offers:
    """Draw the offers of every product from the merchants that sell its category (and its
    brand's store), sized by expected demand."""
    xp = rng.xp
    n_prod = int(category.shape[0])
    merchant_type = merchants.merchant_type
    types = list(cfg.MERCHANT_TYPES.values())
    sellers = Sellers.of(cfg, merchants, n_brands)
    pid = xp.arange(n_prod, dtype=xp.int64)
    cat_start_x = xp.asarray(cat_start)
    rank = pid - cat_start_x[category]
    size = xp.maximum(cat_start_x[category + 1] - cat_start_x[category], 1)
    head = fm.exp_v(xp, -10.0 * rank / size)  # popular products attract more sellers
    lam = 0.35 + 1.8 * head
    extra = rng.stream("offers.count").poisson(lam, pid)
    length = xp.asarray(sellers.length)[category]
    main = xp.clip(1 + extra, 1, xp.minimum(length, cfg.offers_per_product_max))
    store = xp.asarray(sellers.store_of)[brand]
    has_store = (store >= 0) & (rng.stream("offers.brand_store").uniform(pid)
                                < BRAND_STORE_LISTS) & (main < cfg.offers_per_product_max)
    count = main + has_store
    prod, j = expand(xp, count)
    start = xp.cumsum(count) - count

    # The first seller by listing weight (type share × heavy-tailed size), then the next
    # ones of the category's list: distinct merchants.
    pick = pick_in_group(xp, category, sellers.cdf, rng.stream("offers.merchant").uniform(pid))
    first = pick - xp.asarray(sellers.start)[category]
    c = category[prod]
    listed = xp.asarray(sellers.merchant)[xp.asarray(sellers.start)[c]
                                          + (first[prod] + j) % length[prod]]
    merchant = xp.where(j < main[prod], listed, store[prod])
    mtype = merchant_type[merchant]
    oid = xp.arange(prod.shape[0], dtype=xp.int64)

    # The product's base price is its MRP, a ceiling. Some offers sell at the MRP (most in
    # grocery, few in fashion); the others at the category's typical discount, shifted by
    # the merchant type and noise, on a storefront ending at or below the drawn value; a
    # draw at or above the MRP sells at the MRP.
    cats = list(cfg.CATEGORIES.values())
    ocat = category[prod]
    at_mrp_share = xp.asarray(np.array([c.at_mrp_share for c in cats]))[ocat]
    list_share = 1.0 - xp.asarray(np.array([c.mrp_discount for c in cats]))[ocat]
    factor = xp.asarray(np.array([t.price_factor for t in types]))[mtype]
    spread = xp.asarray(np.array([t.price_spread for t in types]))[mtype]
    noise = rng.stream("offers.price").lognormal(oid, median=1.0, sigma=spread)
    # Brand stores keep the MRP more often than the category does.
    type_mrp = xp.asarray(np.array([t.at_mrp_share for t in types]))[mtype]
    at_mrp_share = 1.0 - (1.0 - at_mrp_share) * (1.0 - type_mrp)
    at_mrp = rng.stream("offers.at_mrp").uniform(oid) < at_mrp_share
    share = xp.where(at_mrp, 1.0, list_share * factor * noise)
    mrp = base_price[prod] // 100
    below = storefront_floor(mrp.astype(xp.float64) * xp.minimum(share, 1.0), xp)
    price = xp.where(share >= 1.0, mrp, below) * 100  # below <= max(drawn, 1) <= mrp

    bb_type = xp.asarray(np.array([t.buybox_weight for t in types]))[mtype]
    buybox = buybox_weight(xp, bb_type, base_price[prod], price)
    total_bb = xp.bincount(prod, weights=buybox.astype(xp.float64), minlength=n_prod)
    share = buybox / total_bb[prod]
    units = xp.asarray(product_units)[prod] * share
    prior_fp = xp.maximum(xp.rint(units * FP), 1).astype(xp.int64)

    stock_mult = xp.asarray(np.array([c.stock_multiplier for c in cats]))[category[prod]]
    cover = xp.asarray(np.array([t.initial_cover_days for t in types]))[mtype]
    rop_days = xp.asarray(np.array([t.reorder_point_days for t in types]))[mtype]
    min_stock = xp.asarray(np.array([t.min_stock for t in types], dtype=np.int64))[mtype]
    jitter = rng.stream("offers.stock").lognormal(oid, median=1.0, sigma=0.35)
    initial = xp.rint(units * cover * stock_mult * jitter).astype(xp.int64)
    case = xp.asarray(np.array([c.case_pack for c in cats], dtype=np.int64))[ocat]
    initial = whole_cases(xp.maximum(initial, min_stock), case)
    inv = cfg.INVENTORY_CONFIG
    unstocked = rng.stream("offers.unstocked").uniform(oid) < inv.unstocked_listing_share
    first_delivery = xp.where(
        unstocked, rng.stream("offers.first_delivery").integers(1, 2 * max(cfg.num_days, 1), oid),
        -1)
    first_qty = xp.where(unstocked, whole_cases(xp.maximum(initial, 1), case), 0)
    initial = xp.where(unstocked, 0, initial)
    ends = rng.stream("offers.discontinued").uniform(oid) < inv.discontinued_share
    end_day = rng.stream("offers.discontinued_day").integers(0, max(cfg.num_days, 1), oid)
    last_order = xp.where(ends, end_day, cfg.num_days)
    # The reorder policy's point on day 0 (it then follows the offer's sales velocity).
    safety = xp.asarray(np.array([t.safety_stock for t in types], dtype=np.int64))[mtype]
    rop = reorder_point(xp, prior_fp, rop_days, safety)

    # The default offer of a product: the first offer with its maximum buy-box weight.
    best = xp.zeros(n_prod, dtype=xp.int64)
    best_w = xp.full(n_prod, -1, dtype=xp.int64)
    for k in range(int(to_numpy(count).max()) if n_prod else 0):
        o = xp.minimum(start + k, prod.shape[0] - 1)
        ok = (k < count) & (buybox[o] > best_w)
        best = xp.where(ok, o, best)
        best_w = xp.where(ok, buybox[o], best_w)
    return Offers(prod, merchant, mtype, price, initial, rop, prior_fp, buybox, start, count,
                  best, first_delivery, first_qty, case, last_order)


def whole_cases(units: Any, case: Any) -> Any:
    """``units`` rounded up to whole cases of ``case`` units (0 stays 0)."""
    return -(-units // case) * case


def reorder_point(xp: Any, velocity_fp: Any, days: Any, safety: Any) -> Any:
    """Stock level at which a seller orders: ``days`` of demand at ``velocity_fp`` (units/day
    × FP), and never below its ``safety`` stock."""
    return xp.maximum((velocity_fp * days).astype(xp.int64) // FP, safety)


def buybox_weight(xp: Any, bb_type: Any, mrp: Any, price: Any) -> Any:
    """Buy-box weight of offers: 1000 x the merchant type's weight x (MRP / price)**6, at
    least 1 (the box favours the cheaper offer). The power is three exact multiplications,
    not a platform's ``pow``."""
    rel = mrp / price.astype(xp.float64)
    r2 = rel * rel
    return xp.maximum(xp.rint(1000.0 * bb_type * (r2 * r2 * r2)), 1).astype(xp.int64)
