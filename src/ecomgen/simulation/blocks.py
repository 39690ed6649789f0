"""Fixed blocks of customers: the unit of work that makes output independent of workers.

Customers are grouped in blocks of ``CUSTOMER_BLOCK`` consecutive ids, fixed by the data and
never by how the work is split. A day's sessions are drawn per block (their number keyed by
block and day, each session keyed by block, day and its ordinal ``k`` in the block), and
ids are ranked in (day, block, ...) order, so any set of blocks can be simulated on its own
and the pieces put together give the same bytes.
"""

from __future__ import annotations

from typing import Any

#: Customers per block: 2**16.
CUSTOMER_BLOCK_BITS = 16
CUSTOMER_BLOCK = 1 << CUSTOMER_BLOCK_BITS
#: A session key is ``block << SESSION_KEY_BITS | k``: k < 2**32 sessions a block a day.
SESSION_KEY_BITS = 32


def block_of(xp: Any, customer: Any) -> Any:
    """Block of each (0-based) customer index."""
    return customer.astype(xp.int64, copy=False) >> CUSTOMER_BLOCK_BITS


def n_blocks(n_customers: int) -> int:
    """Blocks needed for ``n_customers`` customers."""
    return max((n_customers + CUSTOMER_BLOCK - 1) // CUSTOMER_BLOCK, 1)


def session_key(xp: Any, block: Any, k: Any) -> Any:
    """Key of the k-th session of a block's day (unique within the day)."""
    return (block.astype(xp.int64, copy=False) << SESSION_KEY_BITS) | k.astype(xp.int64,
                                                                                copy=False)


def key_block(xp: Any, key: Any) -> Any:
    """Block of each session key."""
    return key >> SESSION_KEY_BITS
