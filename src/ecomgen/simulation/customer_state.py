"""A customer shard's own state, moved on by each day's purchases (``World.own``).

Purchases raise the buyer's affinity for the category (and sate it for a while where the
category has ``satiation_days``); a purchase in a replenished category sets when the buyer
comes back for it, and a buyer who came back and bought nothing of the category comes
back again later. Draws are keyed by the global customer index; rows are index - ``c0``.
"""

from __future__ import annotations

from typing import Any

from ecomgen.simulation.arrays import max_by_group
from ecomgen.simulation.browse import due_today
from ecomgen.simulation.world import World

#: Log-space spread of the days until a replenished product is due again.
REPLENISH_SIGMA = 0.35


def remember(w: World, d: int, cust: Any, offer: Any, block_lo: int, block_hi: int) -> None:
    """Day ``d``'s accepted lines (buyer, offer) of blocks ``[block_lo, block_hi)``: the
    history and last purchase per category, then replenishment and retries."""
    xp, own = w.xp, w.own
    if cust.shape[0]:
        product = w.offers.product[offer]
        cat = w.products.category[product]
        ncat = own.history.shape[1]
        flat, cnt = xp.unique((cust - own.c0) * ncat + cat, return_counts=True)
        hist = own.history.reshape(-1)
        hist[flat] += cnt.astype(hist.dtype)
        own.last_buy.reshape(-1)[flat] = d
        _replenish(w, d, cust, cat, product)
    _retry(w, d, block_lo, block_hi)


def _retry(w: World, d: int, block_lo: int, block_hi: int) -> None:
    """Buyers who came back today for a replenished product (their return visit, even one
    the day had no room for) and bought nothing of its category come back again after
    ``reorder_retry_days`` (lognormal, keyed by customer, category and day): the need
    remains. Runs after ``_replenish``, which moved the buyers' due day on."""
    xp, own = w.xp, w.own
    rc, r = due_today(w, d, block_lo, block_hi)
    if not rc.shape[0]:
        return
    n_rep = own.next_due.shape[1]
    flat = rc * n_rep + r  # keyed by customer and category
    gap = w.rng.stream("customers.reorder_retry").lognormal(
        d, flat, median=w.cfg.CUSTOMER_LIFECYCLE.reorder_retry_days, sigma=REPLENISH_SIGMA)
    own.next_due.reshape(-1)[flat - own.c0 * n_rep] = (
        d + xp.maximum(xp.rint(gap), 1)).astype(xp.int32)


def _replenish(w: World, d: int, cust: Any, cat: Any, product: Any) -> None:
    """Per buyer and replenished category bought today: the product (the highest index when
    several) and the day it is due again, replenish_days × a lognormal spread (σ
    REPLENISH_SIGMA, keyed by customer, category and day), at least a day later."""
    xp, own = w.xp, w.own
    n_rep = own.next_due.shape[1]
    rep = w.rep_of_cat[cat]
    idx = xp.nonzero(rep >= 0)[0]
    if n_rep == 0 or not idx.shape[0]:
        return
    flat, prod = max_by_group(xp, cust[idx] * n_rep + rep[idx], product[idx])
    cycle = xp.asarray(w.rep_days)[flat % n_rep]
    gap = w.rng.stream("customers.replenish").lognormal(d, flat, median=cycle,
                                                       sigma=REPLENISH_SIGMA)
    row = flat - own.c0 * n_rep
    own.last_product.reshape(-1)[row] = prod.astype(xp.int32)
    own.next_due.reshape(-1)[row] = (d + xp.maximum(xp.rint(gap), 1)).astype(xp.int32)
