"""Realism bands for the default scenario (docs/realism.md), as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    """An acceptance range for one figure; ``None`` means unbounded on that side."""

    number: int
    key: str
    title: str
    lo: float | None
    hi: float | None
    unit: str
    anchor: str

    def contains(self, value: float | None) -> bool:
        """Whether ``value`` lies inside the band (both ends included)."""
        if value is None:
            return False
        if self.lo is not None and value < self.lo:
            return False
        return not (self.hi is not None and value > self.hi)

    def text(self) -> str:
        """The band as text, e.g. '60–80 %' or '≥ 3 ×'."""
        u = f" {self.unit}" if self.unit else ""
        if self.lo is not None and self.lo == self.hi:
            return f"{self.lo:g}{u}"
        if self.lo is not None and self.hi is not None:
            return f"{self.lo:g}–{self.hi:g}{u}"
        if self.lo is not None:
            return f"≥ {self.lo:g}{u}"
        return f"≤ {self.hi:g}{u}"


#: Star shares (5..1) of figure 8 as (lo, hi) percent.
#: Figure 19: median selling price (INR) of sale lines by subcategory, (lo, hi).
SUBCATEGORY_PRICE_BANDS: dict[str, tuple[float, float]] = {
    "Mobiles": (8_000, 25_000), "Laptops": (30_000, 80_000), "Televisions": (15_000, 45_000),
}

RATING_SHARE_BANDS: dict[int, tuple[float, float]] = {
    5: (50, 65), 4: (15, 25), 3: (7, 12), 2: (3, 7), 1: (7, 14),
}

BANDS: tuple[Band, ...] = (
    Band(1, "cart_abandonment", "Cart abandonment", 60, 80, "%", "Baymard: 70.19 %"),
    Band(2, "abandonment_mobile_minus_desktop", "Abandonment: mobile − desktop", 5, None,
         "points", "Barilliance: desktop 73 %, mobile 86 %"),
    Band(3, "session_conversion", "Session conversion", 1, 4, "%",
         "Dynamic Yield 3.2 %, Monetate 2.3 %"),
    Band(4, "sessions_with_add_to_cart", "Sessions with an add_to_cart", 5, 12, "%",
         "Dynamic Yield 7.2 %, Monetate 7.4 %"),
    Band(5, "views_per_session", "Product views per session", 2, 6, "",
         "Monetate 2.3; GA sample 3.7–4.0"),
    Band(6, "view_to_add_to_cart", "View → add_to_cart", 2, 10, "%",
         "RetailRocket 2.6 %, REES46 2.3 %"),
    Band(7, "remove_per_add", "remove_from_cart ÷ add_to_cart", 20, 45, "%",
         "RecSys Challenge 2025: 34 %"),
    Band(8, "rating_shape", "Rating shares 5★..1★ in bands and 1★ > 2★", 1, 1, "",
         "Amazon: 55.4 / 20.9 / 10.0 / 5.8 / 8.0 %"),
    Band(9, "mean_rating", "Mean rating", 3.9, 4.3, "★", "Olist 4.09, Amazon 4.10"),
    Band(10, "rated_line_share", "Order lines that get a rating", 2, 15, "%",
         "review response 5–10 %"),
    Band(11, "single_item_orders", "Orders with a single item", 60, None, "%",
         "Olist: 90 %"),
    Band(12, "oos_offer_days", "Out-of-stock offer-days", 4, 12, "%",
         "Gruen & Corsten: ~8 %"),
    Band(13, "shrink_per_sold", "Units lost ÷ units sold", 0.5, 2, "%", "NRF 1.4–1.6 %"),
    Band(14, "peak_day_ratio", "Peak festive day ÷ median day (orders)", 3, 9, "×",
         "Redseer: ≈ 5.4 ×"),
    Band(15, "cod_share", "Cash-on-delivery share of orders", 50, 70, "%",
         "60–65 % of Indian online orders"),
    Band(16, "customers_18_35", "Customers aged 18–35", 70, None, "%", "ASSOCHAM: 90 %"),
    Band(17, "electronics_revenue_share", "Electronics revenue share (and Fashion or Grocery "
         "above it by orders)", 35, 60, "%", "Redseer: ≈ 67 % of festive GMV"),
    Band(18, "electronics_aov_ratio", "AOV Electronics ÷ max(Fashion, Beauty, Books)", 3, None,
         "×", "category price levels"),
    Band(19, "subcategory_prices", "Subcategories whose median selling price is in band "
         "(Mobiles ₹8k–25k, Laptops ₹30k–80k, Televisions ₹15k–45k)", 100, 100, "%",
         "India 2024 ASPs: smartphones ≈ ₹20k, laptops ≈ ₹40–55k, TVs ≈ ₹20–30k"),
    Band(20, "sale_lines_below_mrp", "Sale lines below MRP (and no offer or line above it)",
         50, 90, "%", "Legal Metrology: MRP is a ceiling; most listings show MRP crossed out"),
    Band(21, "low_stock_views", "Views showing low_stock (and median units on hand of "
         "in-stock offer-days ≥ 5)", None, 15, "%",
         "sellers keep weeks of cover; \"only N left\" is the exception"),
    Band(22, "customer_activity", "Sessions from the top 10 % of customers (and ≥ 30 % "
         "dormant in the last 90 days)", 35, None, "%",
         "activity is heavy-tailed; most registered accounts go dormant"),
    Band(23, "retention_12m", "Active in the first 30 days and in the last 30 days", 20, 50,
         "%", "e-commerce 12-month retention ≈ 20–40 %"),
    Band(24, "device_mix", "Sessions on app or mobile web (and tablets ≤ 3 %)", 75, 92, "%",
         "StatCounter India: tablets < 1 %; marketplaces: 70–90 % app and mobile web"),
    Band(25, "cod_by_tier", "COD share: tier-3 − tier-1 cities (and COD AOV ≥ UPI's)", 10,
         None, "points", "GoKwik: COD 60–70 % beyond tier-1; COD AOV above prepaid"),
    Band(26, "festival_dates", "Years whose orders peak on the real festival dates (BBD, "
         "Diwali)", 100, 100, "%",
         "BBD 2023-10-08, 2024-09-27, 2025-09-23; Diwali 2023-11-12, 2024-10-31, 2025-10-20"),
    Band(27, "category_repeat", "Repeat buyers: min(Grocery, Beauty) − max(Fashion, "
         "Electronics), share of a category's buyers with ≥ 2 orders in it", 0, None,
         "points", "replenishment categories repeat (Instacart reorders peak at 7 and 30 "
         "days)"),
    Band(28, "artefacts", "Overlapping sessions of one customer (and the busiest second ≤ "
         "0.05 % of session starts; no pile-up at the top value of views per session, dwell "
         "or rating lag)", 0, 0, "sessions", "real logs have no pile-ups at caps"),
    Band(29, "returns_by_category", "Returned units ÷ delivered units, all categories (and "
         "Fashion 20–35 %, Electronics 3–10 %)", 8, 18, "%",
         "India: fashion 25–35 % (Forrester), Return Prime 17.6 % overall, electronics 4–7 %"),
    Band(30, "rto_by_payment", "Return to origin: cash-on-delivery orders (and prepaid ≤ 5 %)",
         15, 35, "%", "Shipway FY25: COD RTO ≈ 26 %, prepaid < 2 %; GoKwik: up to 40 %"),
    Band(31, "cancellations", "Orders cancelled before dispatch (customer or seller)", 2, 8,
         "%", "UCI Online Retail II ≈ 2 % cancelled lines; marketplace seller cancellations"),
    Band(32, "late_deliveries", "Delivered after the promised date (and late orders rated ≥ 1 "
         "star lower)", 5, 15, "%", "Olist: ≈ 8 % late, 2.6★ late vs 4.3★ on time"),
)

#: Figure 29: return-rate bands (percent of delivered units) of single categories.
RETURN_RATE_BANDS: dict[str, tuple[float, float]] = {
    "Fashion": (20, 35), "Electronics": (3, 10),
}
#: Figure 30: highest RTO share (%) of prepaid orders.
PREPAID_RTO_MAX = 5.0
#: Figure 32: smallest gap in mean stars between on-time and late delivered orders.
LATE_RATING_GAP = 1.0

#: Figure 28: largest share (%) of session starts on one second of the day; largest count
#: at a column's top value over the mean count of the PILE_UP_NEIGHBOURS values below it,
#: judged when the top value holds at least PILE_UP_MIN_ROWS rows (fewer are no pile-up).
BUSIEST_SECOND_MAX_PCT = 0.05
PILE_UP_MAX = 2.0
PILE_UP_NEIGHBOURS = 5
PILE_UP_MIN_ROWS = 30

BANDS_BY_KEY: dict[str, Band] = {b.key: b for b in BANDS}
