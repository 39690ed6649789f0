"""The start of a run: its entities drawn (their tables handed on) and the world built.

In one process the world holds every customer; a shard worker builds its own: the
catalogue whole (it is the same on every worker) and only its own blocks' customers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ecomgen.backend import Backend
from ecomgen.config import Config
from ecomgen.entities.customers import make_customers
from ecomgen.entities.descriptions import make_descriptions
from ecomgen.entities.merchants import make_merchants
from ecomgen.entities.offers import make_offers
from ecomgen.entities.products import make_products
from ecomgen.rng import Rng
from ecomgen.simulation import blocks as customer_blocks
from ecomgen.simulation.calendar import build_calendar
from ecomgen.simulation.demand import product_view_rate, units_per_view
from ecomgen.simulation.world import World, build_world

Batch = dict[str, Any]
Emit = Callable[[str, Batch], None]
#: A half-open range of customer blocks or offers.
Range = tuple[int, int]


def setup(cfg: Config, backend: Backend, emit: Emit | None, blocks: Range | None = None,
          totals: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[World, Any]:
    """Draw the entities (handing their tables to ``emit``) and the world; also returns each
    offer's perishability (for the stock of offer shards).

    Without ``emit`` (a shard worker's world) the tables that only go to the output
    (customers' names and e-mails, product descriptions) are not made, and with ``blocks``
    only those customer blocks' customers are: the catalogue is whole on every worker, the
    customers each worker's own, and ``totals`` (``World.signed_total`` and
    ``alive_total`` of the whole run) stand in for the rest.
    """
    xp = backend.xp
    rng = Rng(xp, cfg.seed, cfg.chunk_size)
    cal = build_calendar(cfg)
    lo, hi = 0, cfg.num_customers
    if blocks is not None:
        bits = customer_blocks.CUSTOMER_BLOCK_BITS
        lo, hi = min(blocks[0] << bits, hi), min(blocks[1] << bits, hi)
    customers = make_customers(cfg, rng, cal.traffic, with_table=emit is not None, lo=lo,
                               hi=hi)
    merchants = make_merchants(cfg, rng)
    products = make_products(cfg, rng)
    if emit is not None:
        emit("customers", customers.table)
        emit("merchants", merchants.table)
        emit("products", products.table)
        emit("product_descriptions", make_descriptions(cfg, rng, products))
    units = product_view_rate(cfg, np.asarray(products.cat_start)) * units_per_view(cfg)
    offers = make_offers(cfg, rng, products.category, products.brand, products.base_price,
                         products.cat_start, merchants, len(products.brand_labels), units)
    world = build_world(cfg, rng, cal, customers, merchants, products, offers, c0=lo,
                        totals=totals)
    perishable = xp.asarray(np.array([c.perishable for c in cfg.CATEGORIES.values()]))
    return world, perishable[products.category[offers.product]]
