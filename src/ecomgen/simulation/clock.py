"""The clock of a simulated day: every bound on event times, derived in one place.

Settlement and stock status key events on ``offer x DAY + second of the day`` and rely on
the ledger's fixed times: deliveries and positive count corrections at 00:00:00 (before
any session event of the day), losses and negative corrections at 23:59:59 (after every
session event). A session's events (views, cart events, checkout, payment, abandonment)
therefore have to fall strictly between the two. The session shape (dwell, gaps, cart
delays) is bounded here, and the latest second a view may start is derived from those
bounds, so no combination of draws can leave the day or reach the closing ledger second.
"""

from __future__ import annotations

#: Seconds in a day; event times inside a day are offsets in [0, DAY).
DAY = 86_400
#: Ledger second of deliveries and positive stock-count corrections (00:00:00).
OPEN = 0
#: Ledger second of losses and negative stock-count corrections (23:59:59).
CLOSE = DAY - 1

#: Seconds on a product page: drawn below MAX_DWELL (redrawn above it), at least MIN_DWELL.
MIN_DWELL = 5
MAX_DWELL = 600
#: Seconds between the end of a view and the next view of the session: [lo, hi).
VIEW_GAP = (2, 25)
#: Views a session may hold.
MAX_VIEWS = 40
#: Seconds from the end of the session's last view to its checkout: [lo, hi).
CHECKOUT_DELAY = (5, 120)
#: Seconds from checkout to payment confirmation (the settlement time): [lo, hi).
PAYMENT_DELAY = (3, 60)
#: Seconds from the end of the session's last view to the abandonment of its cart: [lo, hi).
ABANDON_DELAY = (60, 600)

#: First second a session may start: after the opening ledger events.
FIRST_START = OPEN + 1
#: Last second a session event may fall on: before the closing ledger events.
LAST_EVENT = CLOSE - 1
#: Longest time from the start of a session's last view to the session's last event. Cart
#: adds and removes fall inside the view (before it ends), checkout, payment and
#: abandonment after it.
TAIL = MAX_DWELL + max(CHECKOUT_DELAY[1] - 1 + PAYMENT_DELAY[1] - 1, ABANDON_DELAY[1] - 1)
#: Last second a view may start (views after it are cut off; a session starts with a view).
LAST_VIEW = LAST_EVENT - TAIL

if not OPEN < FIRST_START <= LAST_VIEW < LAST_VIEW + TAIL <= LAST_EVENT < CLOSE < DAY:
    raise AssertionError("the day's clock bounds are inconsistent")
if min(MIN_DWELL, VIEW_GAP[0], CHECKOUT_DELAY[0], PAYMENT_DELAY[0], ABANDON_DELAY[0]) < 1:
    raise AssertionError("a session's steps must take at least a second")
