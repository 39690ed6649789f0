"""The configuration's sections as strict pydantic models: the catalogue, customers,
merchants, calendar, traffic and the life after the order."""

from __future__ import annotations

import difflib
import json
import math
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ecomgen.config.rules import (
    MAX_WRAP_DAYS,
    Bool,
    Days,
    Effect,
    Float,
    Int,
    Multiplier,
    Price,
    Prob,
    ReturnReason,
    Share,
    Strict,
    Weight,
    _all_zero,
    _distinct_names,
    _fmt,
    month_day_problem,
    rule,
    wrap_days,
)
from ecomgen.simulation.festivals import FESTIVAL_NAMES


class Variant(Strict):
    """A spec variant of a subcategory's products (storage, screen size, pack size, item)."""

    label: str = Field(min_length=1, description="shown in the product name, e.g. "
                       "\"8 GB RAM, 128 GB\" or \"55-inch\"")
    price_factor: Annotated[Float, Field(gt=0.0, le=1_000.0)] = Field(
        description="MRP relative to the subcategory's typical product")
    weight: Share = Field(1.0, description="relative share of the subcategory's products")
    brands: list[str] = Field(default_factory=list, description="the subcategory's brands "
                              "that make it (empty: all of them)")


class Subcategory(Strict):
    """A subcategory: its share of the category, price level, brands and spec variants."""

    share: Share = Field(1.0, description="relative share of the category's products")
    price_median: Price | None = Field(
        None, description="median MRP of its products, INR (default: the category's); "
        "variants' price factors are relative to it, and every MRP is kept within the "
        "category's price_min..price_max")
    price_sigma: Annotated[Float, Field(gt=0.0, le=10.0)] | None = Field(
        None, description="log-space spread of MRPs within one variant and brand "
        "(default: the category's)")
    noun: str = Field("", description="product noun in names (\"Smartphone\"); empty: "
                      "the variant label names the item (\"T-shirt\")")
    model_code: Bool = Field(True, description="names carry a model code (\"KX-482\")")
    brands: list[str] = Field(default_factory=list, description="brands that make it, most "
                              "popular first, each one of the category's (empty: all of them)")
    brand_price: dict[str, Annotated[Float, Field(gt=0.0, le=1_000.0)]] = Field(
        default_factory=dict, description="MRP factor of a brand (premium > 1, budget < 1)")
    variants: list[Variant] = Field(default_factory=list, description="spec variants; "
                                    "their price factors are normalised to a weighted "
                                    "geometric mean of 1")

    @field_validator("brands")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        return _distinct_names(v)


class Category(Strict):
    """A product category: catalogue share, price level, demand share, basket habits."""

    product_share: Share = Field(description="share of the catalogue's products")
    traffic_share: Share = Field(description="share of product views before preferences")
    price_median: Price = Field(description="median MRP (list price), INR, of subcategories "
                                "without their own; within price_min..price_max")
    price_sigma: Annotated[Float, Field(gt=0.0, le=10.0)] = Field(
        description="log-space spread of MRPs")
    at_mrp_share: Prob = Field(0.15, description="share of offers sold at the MRP itself")
    mrp_discount: Annotated[Float, Field(ge=0.0, le=0.9)] = Field(
        0.15, description="typical discount off the MRP of the other offers (0.4: 40 % off)")
    price_min: Price = 49.0
    price_max: Price = Field(250_000.0, description="at least price_min, with a whole rupee "
                             "between them")
    perishable: Bool = False
    multi_unit_prob: Prob = Field(0.08, description="chance that a cart line holds > 1 unit "
                                  "(0 when max_quantity is 1)")
    max_quantity: Int = Field(3, ge=1, le=20)
    stock_multiplier: Annotated[Float, Field(gt=0.0, le=1_000.0)] = Field(
        1.0, description="scales initial stock and reorder size")
    case_pack: Int = Field(1, ge=1, le=1_000, description="units per supplier case: initial "
                           "stock and supplier orders come in whole cases")
    repeat_affinity: Multiplier = Field(
        1.0, description="scales TRAFFIC.purchase_affinity_boost in this category: a durable "
        "is seldom bought twice, a consumable often")
    sale_depth: Annotated[Float, Field(ge=0.0, le=4.0)] = Field(
        1.0, description="scales a sale event's discount_pct in this category (fashion cuts "
        "deep, phones little); a discount is at most 80 %")
    clearance_discount: Annotated[Float, Field(ge=0.0, le=0.9)] = Field(
        0.2, description="markdown of an end-of-line offer's everyday price from the day "
        "after its seller's last reorder (the seller clears the rest)")
    replenish_days: Days | None = Field(
        None, description="typical days until a buyer needs the product again (groceries, "
        "cosmetics): buyers come back for it then; none: no replenishment cycle")
    satiation_days: Days | None = Field(
        None, description="typical days until a buyer's wish for more of this category "
        "recovers after a purchase in it (a wardrobe, a gadget): the add-to-cart chance in "
        "the category is scaled by 1 - CUSTOMER_LIFECYCLE.satiation_depth * exp(-days since "
        "the purchase / satiation_days); none: no satiation")
    extra_transit_days: Int = Field(0, ge=0, le=30, description="days a courier needs beyond "
                                    "its usual transit (bulky goods: furniture, TVs)")
    return_rate: Prob = Field(0.06, description="chance that a delivered line is returned "
                              "(fashion: a quarter; groceries: hardly ever)")
    return_window_days: Int = Field(7, ge=1, le=365, description="days after delivery within "
                                    "which a return is requested")
    return_reasons: dict[ReturnReason, Weight] = Field(
        default_factory=lambda: {"defective": 3.0, "damaged_in_transit": 2.0,
                                 "not_as_described": 2.0, "wrong_item": 1.0,
                                 "changed_mind": 2.0},
        description="weights of the reasons a line of the category is returned")
    subcategories: dict[str, Subcategory] = Field(
        min_length=1, description="by name; a list of names gives each the category's prices "
        "and brands")
    brands: list[str] = Field(min_length=1, description="distinct names")
    seasonality: list[Annotated[Float, Field(gt=0.0, le=10.0)]] = Field(
        default_factory=lambda: [1.0] * 12, min_length=12, max_length=12,
        description="demand multiplier by month (January..December), at mid-month and "
        "linear in between")

    @field_validator("subcategories", mode="before")
    @classmethod
    def _sub_names(cls, v: Any) -> Any:
        if isinstance(v, list):
            return {name: {} for name in _distinct_names(v)}
        return v

    @field_validator("return_reasons")
    @classmethod
    def _some_reason(cls, v: dict[str, float]) -> dict[str, float]:
        if _all_zero(v.values()):
            raise rule("are all zero; give at least one return reason a positive weight")
        return v

    @field_validator("brands")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        return _distinct_names(v)

    @model_validator(mode="after")
    def _prices(self) -> Category:
        lo, mid, hi = self.price_min, self.price_median, self.price_max
        if lo > hi:
            raise rule(f"has price_min = {_fmt(lo)} above price_max = {_fmt(hi)}; make "
                       "price_min <= price_max")
        if math.ceil(lo) > math.floor(hi):
            raise rule(f"has no whole rupee between price_min = {_fmt(lo)} and price_max = "
                       f"{_fmt(hi)}; widen the range")
        if not lo <= mid <= hi:
            raise rule(f"has price_median = {_fmt(mid)} outside price_min..price_max "
                       f"({_fmt(lo)}..{_fmt(hi)}); choose a median inside the range")
        for name, sub in self.subcategories.items():
            where = f"has subcategory {json.dumps(name, ensure_ascii=False)}"
            for b in [*sub.brands, *sub.brand_price]:
                if b not in self.brands:
                    raise rule(f"{where} naming brand {json.dumps(b, ensure_ascii=False)}, "
                               "which is not in the category's brands; add it there")
            makers = sub.brands or self.brands
            for v in sub.variants:
                for b in v.brands:
                    if b not in makers:
                        raise rule(f"{where} with variant {json.dumps(v.label)} naming brand "
                                   f"{json.dumps(b, ensure_ascii=False)}, which does not make "
                                   "the subcategory; add it to the subcategory's brands")
        if self.max_quantity == 1 and self.multi_unit_prob > 0:
            raise rule(f"has multi_unit_prob = {_fmt(self.multi_unit_prob)} but max_quantity "
                       "= 1 allows one unit per line; set multi_unit_prob = 0 or "
                       "max_quantity >= 2")
        return self


class Segment(Strict):
    """A customer behaviour segment (specification: CUSTOMER_SEGMENTS)."""

    weight: Prob
    price_sensitivity: Prob
    cart_abandonment_rate: Prob
    conversion_base: Annotated[Float, Field(gt=0.0, le=1.0)]
    preferred_categories: list[str] = Field(default_factory=list, description="distinct "
                                            "names of CATEGORIES")
    activity: Annotated[Float, Field(gt=0.0, le=1_000.0)] = Field(
        1.0, description="relative number of sessions per customer")

    @field_validator("preferred_categories")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        return _distinct_names(v)


class AgeGroup(Strict):
    """Age band: share of customers, tech affinity, price sensitivity shift, category tilt."""

    min_age: Int = Field(ge=13, le=100)
    max_age: Int = Field(ge=13, le=100)
    weight: Prob
    tech_affinity: Prob
    price_sensitivity_shift: Annotated[Float, Field(ge=-0.5, le=0.5)] = 0.0
    category_multipliers: dict[str, Multiplier] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _range(self) -> AgeGroup:
        if self.max_age < self.min_age:
            raise rule(f"has max_age = {self.max_age} below min_age = {self.min_age}; make "
                       "max_age >= min_age")
        return self


class Gender(Strict):
    """Gender share and category preference multipliers (GENDER_PREFERENCES)."""

    weight: Prob
    category_multipliers: dict[str, Multiplier] = Field(default_factory=dict)


class Device(Strict):
    """Device: share of customers preferring it, its use by time of day, its cart habits."""

    weight: Prob
    abandonment_shift: Annotated[Float, Field(ge=-0.5, le=0.5)] = 0.0
    cart_multiplier: Annotated[Float, Field(gt=0.0, le=100.0)] = 1.0
    office_hours_factor: Annotated[Float, Field(gt=0.0, le=10.0)] = Field(
        1.0, description="use on weekdays 10:00-18:59 relative to other hours")
    night_factor: Annotated[Float, Field(gt=0.0, le=10.0)] = Field(
        1.0, description="use from 00:00 to 05:59 relative to other hours")


class SessionType(Strict):
    """Browsing-session type: share, depth, dwell and intent."""

    weight: Prob
    mean_views: Annotated[Float, Field(ge=1.0, le=50.0)]
    dwell_seconds: Annotated[Float, Field(gt=0.0, le=86_400.0)] = Field(
        description="mean seconds spent on a product page")
    cart_multiplier: Annotated[Float, Field(gt=0.0, le=100.0)] = Field(
        description="scales the chance a view adds to cart")
    same_category: Prob = Field(description="chance each further view stays in the category")
    popularity_exponent: Annotated[Float, Field(gt=0.0, le=10.0)] = Field(
        1.05, description="Zipf exponent of product choice")


class PaymentMethod(Strict):
    """Payment method: share of orders and the order values it is used for."""

    weight: Annotated[Float, Field(gt=0.0, le=1_000.0)]
    min_order_value: Annotated[Float, Field(ge=0.0, le=1e12)] = 0.0
    max_order_value: Annotated[Float, Field(gt=0.0, le=1e12)] = 10_000_000.0
    high_value_multiplier: Annotated[Float, Field(gt=0.0, le=1_000.0)] = Field(
        1.0, description="weight above INR 10,000")
    low_value_multiplier: Annotated[Float, Field(gt=0.0, le=1_000.0)] = Field(
        1.0, description="weight below INR 500 (small orders go to UPI and wallets)")
    tier_multipliers: tuple[Annotated[Float, Field(gt=0.0, le=100.0)], ...] = Field(
        (1.0, 1.0, 1.0), min_length=3, max_length=3, description="weight for customers in "
        "city tiers 1, 2 and 3 (metros use less cash on delivery)")
    refund_days: Annotated[Float, Field(gt=0.0, le=90.0)] = Field(
        3.0, description="median days for a refund to reach the buyer by this method (cash "
        "on delivery is refunded by bank transfer or store credit instead)")

    @model_validator(mode="after")
    def _range(self) -> PaymentMethod:
        if self.min_order_value > self.max_order_value:
            raise rule(f"has min_order_value = {_fmt(self.min_order_value)} above "
                       f"max_order_value = {_fmt(self.max_order_value)}; make min_order_value "
                       "<= max_order_value")
        return self


class MerchantType(Strict):
    """A merchant type and its stocking strategy."""

    weight: Prob
    price_factor: Annotated[Float, Field(gt=0.0, le=1.0)] = Field(
        description="its selling prices relative to the category's typical discounted price "
        "(at most 1: an MRP is a legal ceiling, and a drawn price above it sells at the MRP)")
    price_spread: Annotated[Float, Field(ge=0.0, le=1.0)] = Field(
        0.05, description="log-space spread of its selling prices")
    buybox_weight: Annotated[Float, Field(gt=0.0, le=1_000.0)] = Field(
        1.0, description="preference in the buy-box choice")
    initial_cover_days: Days = Field(description="initial stock, in days of demand")
    reorder_cover_days: Days = Field(description="reorder size, in days of demand")
    reorder_point_days: Days = Field(description="reorder when stock covers fewer days")
    min_stock: Int = Field(1, ge=0, le=1_000_000, description="fewest units of its initial "
                           "stock and of each supplier order, before rounding up to cases")
    safety_stock: Int = Field(0, ge=0, le=1_000_000, description="units below which it "
                              "always reorders (its reorder point never falls below this)")
    at_mrp_share: Prob = Field(0.0, description="chance it sells at the MRP where the "
                               "category would discount (official brand stores often do)")
    lead_time_shift: Int = Field(0, ge=-7, le=14, description="days added to supplier delay")
    catalogue_share: Prob = Field(0.3, description="share of products it offers")
    sale_depth: Annotated[Float, Field(ge=0.0, le=4.0)] = Field(
        1.0, description="scales the sale discounts of its offers taking part in a sale event")
    reprice_days: Annotated[Float, Field(ge=0.0, le=3_650.0)] = Field(
        0.0, description="mean days between changes of an offer's everyday price (0: never; "
        "offers at the MRP keep it)")
    specialised: Bool = Field(False, description="sells one category only, its own (a grocer "
                              "sells groceries; a brand store sells its brand)")
    handling_hours: Annotated[Float, Field(gt=0.0, le=720.0)] = Field(
        24.0, description="median hours from an order's confirmation to its dispatch")


class InventoryConfig(Strict):
    """INVENTORY_CONFIG: restocking, losses and stock-status thresholds."""

    restock_probability: Prob = Field(0.15, description="daily chance that a seller reviews "
                                      "a slow offer at its reorder point and orders stock "
                                      "(the wait is drawn when the offer falls due; offers "
                                      "selling a unit a day or more: the same day)")
    damage_rate: Prob = Field(0.001, description="daily loss rate of units on hand (and of "
                              "units received that day), applied on days the offer is "
                              "handled (sold or received)")
    supplier_delay_range: tuple[Int, Int] = Field((1, 7), description="delivery delay, days")
    unstocked_listing_share: Prob = Field(0.07, description="share of offers listed before "
                                          "their first delivery (out of stock until it "
                                          "arrives, on a random day of a span twice the "
                                          "period's: half of them stay dormant all period)")
    discontinued_share: Prob = Field(0.2, description="share of offers whose seller stops "
                                     "reordering on a random day of the period (end of line): "
                                     "they sell down and stay out of stock")
    backorder_probability: Prob = Field(0.3, description="chance a supplier order is "
                                        "back-ordered and arrives late")
    backorder_delay_range: tuple[Int, Int] = Field((7, 28), description="extra days of a "
                                                   "back-ordered delivery")
    low_stock_threshold: Int = Field(5, ge=0, description="stock at or below this is low_stock")
    adjustment_probability: Prob = Field(0.0005, description="daily chance of a stock count "
                                         "per offer (the next count's day is drawn when one "
                                         "happens); a count of an offer with stock finds a "
                                         "correction")
    theft_share: Prob = Field(0.25, description="share of losses recorded as theft")
    expiry_share: Prob = Field(0.5, description="share of perishable losses that are expiry")

    @field_validator("supplier_delay_range", "backorder_delay_range")
    @classmethod
    def _delay(cls, v: tuple[int, int]) -> tuple[int, int]:
        if v[0] < 1 or v[1] < v[0] or v[1] > 60:
            raise ValueError("must be (min, max) with 1 <= min <= max <= 60")
        return v


class GpuConfig(Strict):
    """GPU_CONFIG: batch sizes and memory clean-up."""

    batch_size_views: Int = Field(4_000_000, ge=1_000, le=1_000_000_000, description="views "
                                  "drawn per pass on the GPU (the CPU takes at most 50,000, "
                                  "to stay in cache); changes speed and memory, never output")
    batch_size_customers: Int = Field(500_000, ge=1_000, le=2_000_000_000, description=
                                      "customers generated per pass")
    memory_cleanup_frequency: Int = Field(0, ge=0, le=100_000, description="days between "
                                          "GPU memory-pool clean-ups (0: only when the device "
                                          "runs out of memory)")


class SaleEvent(Strict):
    """A recurring sale or festival: a window every year, fixed (``start``..``end``) or set
    around a moving festival's real date (``anchor``), with a shape over its days."""

    start: str | None = Field(None, description="MM-DD; 02-29 makes the window run in leap "
                              "years only; with end, instead of anchor")
    end: str | None = Field(None, description=f"MM-DD, inclusive; before start only for a "
                            f"window across the new year of at most {MAX_WRAP_DAYS} days "
                            "(12-28 to 01-03)")
    anchor: str | None = Field(None, description="a moving festival or sale whose real date "
                               "sets the window each year, instead of start and end: "
                               + ", ".join(FESTIVAL_NAMES))
    days_before: Int = Field(0, ge=0, le=60, description="with anchor: the window opens this "
                             "many days before the anchor's first day")
    days_after: Int = Field(0, ge=-60, le=60, description="with anchor: the window closes this "
                            "many days after the anchor's last day (-1: the day before)")
    traffic_uplift: Annotated[Float, Field(ge=1.0, le=20.0)] = Field(
        description="traffic multiplier at the window's peak day")
    shape: Literal["flat", "spike", "build_up"] = Field(
        "flat", description="flat: the uplift every day; spike: the uplift on day 1, then "
        "decaying; build_up: rising to the uplift on the last day")
    decay: Annotated[Float, Field(gt=0.0, le=1.0)] = Field(
        0.75, description="spike and build_up: the share of the extra traffic kept per day "
        "away from the peak")
    teaser_days: Int = Field(0, ge=0, le=14, description="days before the window with "
                             "teaser_uplift (announcements, wish lists)")
    teaser_uplift: Annotated[Float, Field(ge=1.0, le=20.0)] = 1.0
    dip_days: Int = Field(0, ge=0, le=14, description="days after the window with dip "
                          "(the post-sale lull)")
    dip: Annotated[Float, Field(gt=0.0, le=1.0)] = Field(1.0, description="traffic multiplier "
                                                          "of the dip days")
    conversion_uplift: Annotated[Float, Field(ge=0.5, le=5.0)] = 1.0
    discount_pct: Annotated[Float, Field(ge=0.0, le=0.8)] = Field(
        0.0, description="price cut of the offers taking part, in whole basis points (0.0001)")
    participation: Prob = Field(0.6, description="share of offers taking part in the sale "
                                "(drawn per offer and window)")
    discount_spread: Annotated[Float, Field(ge=0.0, le=1.0)] = Field(
        0.0, description="log-space spread of the discount between offers taking part (each "
        "offer's cut: discount_pct x the category's and merchant type's sale_depth x noise, "
        "in whole percent; without spread in whole basis points)")
    category_uplift: dict[str, Annotated[Float, Field(gt=0.0, le=100.0)]] = Field(
        default_factory=dict)
    states: list[str] = Field(default_factory=list, description="a regional festival: only "
                              "customers living in these states browse more (traffic only)")

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, v: str | None) -> str | None:
        problem = None if v is None else month_day_problem(v)
        if problem:
            raise rule(f"is not a day of the year ({problem}); use MM-DD, e.g. \"10-28\"",
                       show_value=True)
        return v

    @field_validator("anchor")
    @classmethod
    def _known_anchor(cls, v: str | None) -> str | None:
        if v is not None and v not in FESTIVAL_NAMES:
            close = difflib.get_close_matches(v, FESTIVAL_NAMES, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise rule(f"is not a festival ecomgen knows the dates of{hint}; use one of "
                       + ", ".join(FESTIVAL_NAMES) + " or give start and end instead",
                       show_value=True)
        return v

    @model_validator(mode="after")
    def _order(self) -> SaleEvent:
        if self.anchor is not None:
            if self.start is not None or self.end is not None:
                raise rule(f"gives both anchor ({self.anchor}) and start/end; keep one: the "
                           "anchor's real dates or a fixed MM-DD window")
            if self.days_before + self.days_after < 0:
                raise rule(f"has days_before = {self.days_before} and days_after = "
                           f"{self.days_after}: the window would close before it opens; make "
                           "days_before + days_after >= 0")
            return self
        if self.start is None or self.end is None:
            raise rule("needs start and end (MM-DD) or an anchor, e.g. anchor: diwali")
        if self.days_before or self.days_after:
            raise rule("gives days_before/days_after without an anchor; they place a window "
                       "around an anchor's date: add anchor or move start and end instead")
        if self.end < self.start:  # MM-DD strings sort by date
            days = wrap_days(self.start, self.end)
            if days > MAX_WRAP_DAYS:
                raise rule(f"ends ({self.end}) before it starts ({self.start}): a {days}-day "
                           "sale across the new year; swap start and end (a window may cross "
                           f"the new year only if it lasts at most {MAX_WRAP_DAYS} days, e.g. "
                           "12-28 to 01-03)")
        return self

    @model_validator(mode="after")
    def _regional(self) -> SaleEvent:
        if self.states and (self.discount_pct or self.conversion_uplift != 1.0
                            or self.category_uplift):
            raise rule("is regional (states) and also sets discount_pct, conversion_uplift or "
                       "category_uplift; a regional festival lifts its states' traffic only: "
                       "drop those fields or the states")
        return self

    @field_validator("discount_pct")
    @classmethod
    def _whole_basis_points(cls, v: float) -> float:
        if abs(v * 10_000 - round(v * 10_000)) > 1e-6:
            raise rule("is not a whole number of basis points (0.0001); discounts are "
                       "applied in basis points, e.g. 0.125 or 0.3333", show_value=True)
        return v


class Traffic(Strict):
    """Shape of traffic over time (local time of ``timezone``)."""

    hourly_weights: list[Weight] = Field(
        default_factory=lambda: [1.2, 0.7, 0.4, 0.25, 0.2, 0.3, 0.7, 1.5, 2.6, 3.6, 4.3, 4.7,
                                 5.0, 5.2, 4.9, 4.7, 4.8, 5.1, 5.6, 6.2, 7.0, 7.4, 6.4, 3.4],
        min_length=24, max_length=24, description="hours 0..23 local time; not all zero")
    weekday_weights: list[Weight] = Field(
        default_factory=lambda: [0.95, 0.93, 0.94, 0.96, 1.02, 1.10, 1.10],
        min_length=7, max_length=7, description="Monday..Sunday; not all zero")
    annual_growth: Annotated[Float, Field(ge=-0.9, le=10.0)] = Field(
        0.25, description="traffic growth over a year (0.25 = +25 %)")
    popularity_offset: Annotated[Float, Field(ge=0.0, le=1_000.0)] = Field(
        3.0, description="Mandelbrot offset q of product choice: ranks are drawn with weight "
        "(rank + 1 + q) ** -popularity_exponent, so the best sellers share the head (0: "
        "Zipf, where a category's top product takes a tenth of its views)")
    payday_uplift: Annotated[Float, Field(ge=1.0, le=3.0)] = Field(
        1.08, description="traffic multiplier on the 1st of the month (salaries paid)")
    payday_days: Int = Field(5, ge=0, le=15, description="days over which the payday lift "
                             "fades to nothing (0: no payday lift)")
    price_elasticity: Annotated[Float, Field(ge=0.0, le=5.0)] = Field(
        1.2, description="how strongly add-to-cart falls with price over the subcategory's "
        "median MRP")
    ticket_elasticity: Annotated[Float, Field(ge=0.0, le=5.0)] = Field(
        0.5, description="how strongly add-to-cart falls with a subcategory's median MRP above "
        "its category's (big-ticket items are bought after more looking)")
    base_cart_rate: Prob = Field(0.024, description="chance a product view adds to cart for "
                                 "an average customer at the category's price level")
    remove_rate: Prob = Field(0.32, description="chance an added line is removed again")
    purchase_affinity_boost: Annotated[Float, Field(ge=0.0, le=100.0)] = Field(
        0.35, description="category weight gained per past purchase in it")
    affinity_cap: Int = Field(5, ge=0, le=100)

    @field_validator("hourly_weights", "weekday_weights")
    @classmethod
    def _not_all_zero(cls, v: list[float], info: ValidationInfo) -> list[float]:
        if _all_zero(v):
            unit = "hour" if info.field_name == "hourly_weights" else "weekday"
            raise rule(f"are all zero; give at least one {unit} a positive weight")
        return v


class Lifecycle(Strict):
    """How much each customer browses, and how long an account stays active."""

    activity_sigma: Annotated[Float, Field(ge=0.0, le=3.0)] = Field(
        0.8, description="log-space spread of each customer's own activity (mean 1): a few "
        "customers browse far more than most")
    lifetime_days: Annotated[Float, Field(gt=0.0, le=36_500.0)] = Field(
        330.0, description="Weibull scale of an account's active life from sign-up, in days; "
        "after it the account is dormant (no sessions)")
    lifetime_shape: Annotated[Float, Field(ge=0.2, le=5.0)] = Field(
        0.8, description="Weibull shape: below 1 many accounts lapse early and a loyal few "
        "stay for years")
    reorder_share: Prob = Field(
        0.9, description="chance that a buyer in a category with replenish_days comes back "
        "when the product is due (a return visit for it)")
    reorder_cart_rate: Prob = Field(
        0.75, description="chance that a return visit adds the product bought last time")
    reorder_abandonment: Prob = Field(
        0.25, description="a return visit's cart abandonment, and the chance it removes the "
        "product it came for, relative to the usual")
    reorder_retry_days: Days = Field(
        4.0, description="median days until a buyer whose return visit bought nothing in the "
        "category (out of stock, abandoned) comes back for it again: the need remains")
    satiation_depth: Prob = Field(
        0.8, description="how far a purchase lowers the buyer's add-to-cart chance in a "
        "category with satiation_days right after it (0.8: to a fifth); the chance recovers "
        "exponentially")


class Courier(Strict):
    """A courier: its share of shipments and how it delivers."""

    weight: Weight
    late_multiplier: Annotated[Float, Field(ge=0.0, le=10.0)] = Field(
        1.0, description="scales FULFILMENT.late_rate for its shipments")
    extra_days: Int = Field(0, ge=0, le=30, description="days it needs beyond the usual "
                            "transit (its promise includes them)")


class Fulfilment(Strict):
    """FULFILMENT: what happens after the click (cancellations, delivery, RTO, refunds)."""

    customer_cancel_rate: Prob = Field(0.03, description="chance that the buyer cancels an "
                                       "order before dispatch")
    sale_cancel_multiplier: Annotated[Float, Field(ge=0.0, le=20.0)] = Field(
        1.5, description="scales customer_cancel_rate for orders placed during a sale event "
        "(impulse orders)")
    seller_cancel_rate: Prob = Field(0.006, description="chance that the seller cancels an "
                                     "order before dispatch (stock not found)")
    low_stock_cancel_multiplier: Annotated[Float, Field(ge=0.0, le=100.0)] = Field(
        5.0, description="scales seller_cancel_rate for orders with a line bought at low "
        "stock (the last units are the ones the books get wrong)")
    late_rate: Prob = Field(0.16, description="chance that a shipment takes longer than the "
                            "courier's usual transit (the promise keeps a day to spare)")
    late_tier_multipliers: tuple[Annotated[Float, Field(ge=0.0, le=10.0)], ...] = Field(
        (0.8, 1.0, 1.4), min_length=3, max_length=3, description="late_rate for buyers in "
        "city tiers 1, 2 and 3")
    late_days: Annotated[Float, Field(ge=1.0, le=60.0)] = Field(
        2.2, description="mean days a late shipment is late (at least one)")
    early_share: Prob = Field(0.2, description="chance that the first attempt comes a day "
                              "before the promised date")
    first_attempt_success: Annotated[Float, Field(gt=0.0, le=1.0)] = Field(
        0.9, description="chance that a delivery attempt finds a buyer who takes the parcel; "
        "after 3 failed attempts the parcel goes back to the seller")
    cod_refusal_rate: Prob = Field(0.24, description="chance that a cash-on-delivery buyer "
                                   "refuses the parcel (return to origin)")
    prepaid_refusal_rate: Prob = Field(0.01, description="the same for prepaid orders")
    refusal_tier_multipliers: tuple[Annotated[Float, Field(ge=0.0, le=10.0)], ...] = Field(
        (0.75, 1.0, 1.3), min_length=3, max_length=3, description="refusal rates for buyers "
        "in city tiers 1, 2 and 3")
    late_return_multiplier: Annotated[Float, Field(ge=0.0, le=10.0)] = Field(
        1.4, description="scales a late-delivered line's return_rate")
    store_credit_share: Prob = Field(0.35, description="share of cash-on-delivery refunds "
                                     "paid as store credit (the rest by bank transfer)")
    bank_transfer_days: Annotated[Float, Field(gt=0.0, le=90.0)] = Field(
        3.0, description="median days of a bank-transfer refund (store credit is instant)")
    couriers: dict[str, Courier] = Field(
        default_factory=lambda: {
            "Ekart": Courier(weight=0.32), "Delhivery": Courier(weight=0.24, late_multiplier=0.9),
            "Shadowfax": Courier(weight=0.12, late_multiplier=1.1),
            "Xpressbees": Courier(weight=0.12, late_multiplier=1.1),
            "Ecom Express": Courier(weight=0.08, late_multiplier=1.3),
            "Blue Dart": Courier(weight=0.07, late_multiplier=0.5),
            "India Post": Courier(weight=0.05, late_multiplier=1.8, extra_days=1)},
        min_length=1, description="couriers by name: share of shipments, lateness, speed")

    @field_validator("couriers")
    @classmethod
    def _some_courier(cls, v: dict[str, Courier]) -> dict[str, Courier]:
        if _all_zero(c.weight for c in v.values()):
            raise rule("all have weight 0; give at least one courier a positive weight")
        return v


class Ratings(Strict):
    """Post-purchase ratings."""

    response_rate: Prob = 0.08
    base_shares: list[Weight] = Field(default_factory=lambda: [0.06, 0.04, 0.095, 0.21, 0.595],
                                      min_length=5, max_length=5, description="1..5 stars; "
                                      "not all zero")
    quality_effect: Effect = 0.9
    delay_effect: Effect = 0.12
    price_effect: Effect = 0.4
    late_effect: Effect = Field(1.0, description="lowers the stars of lines delivered after "
                                "the promised date (Olist: 2.6 stars late, 4.3 on time)")
    return_effect: Effect = Field(0.8, description="lowers the stars of returned lines")

    @field_validator("base_shares")
    @classmethod
    def _not_all_zero(cls, v: list[float]) -> list[float]:
        if _all_zero(v):
            raise rule("are all zero; give at least one star rating a positive share")
        return v
