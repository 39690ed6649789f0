"""Configuration: strict pydantic models whose defaults are the specification's config."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Prob = Annotated[float, Field(ge=0.0, le=1.0)]
Positive = Annotated[float, Field(gt=0.0)]
NonNeg = Annotated[float, Field(ge=0.0)]


class Strict(BaseModel):
    """Base model: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# --------------------------------------------------------------------------- catalogue
class Category(Strict):
    """A product category: catalogue share, price level, demand share, basket habits."""

    product_share: Positive = Field(description="share of the catalogue's products")
    traffic_share: Positive = Field(description="share of product views before preferences")
    price_median: Positive = Field(description="median base price, INR")
    price_sigma: Positive = Field(description="log-space spread of base prices")
    price_min: Positive = 49.0
    price_max: Positive = 250_000.0
    perishable: bool = False
    multi_unit_prob: Prob = Field(0.08, description="chance that a cart line holds > 1 unit")
    max_quantity: int = Field(3, ge=1, le=20)
    stock_multiplier: Positive = Field(1.0, description="scales initial stock and reorder size")
    subcategories: list[str] = Field(min_length=1)
    brands: list[str] = Field(min_length=1)


def _cats() -> dict[str, Category]:
    c = Category
    return {
        "Electronics": c(product_share=0.16, traffic_share=0.09, price_median=4000,
                         price_sigma=0.85, price_min=299, max_quantity=2, multi_unit_prob=0.02,
                         stock_multiplier=0.8,
                         subcategories=["Mobiles", "Laptops", "Headphones", "Televisions",
                                        "Smartwatches", "Cameras", "Tablets", "Accessories"],
                         brands=["Samsung", "Apple", "Xiaomi", "OnePlus", "Realme", "Vivo",
                                 "Oppo", "Lenovo", "HP", "Dell", "boAt", "Sony", "LG", "Noise"]),
        "Fashion": c(product_share=0.26, traffic_share=0.27, price_median=799, price_sigma=0.6,
                     price_min=149, max_quantity=3, multi_unit_prob=0.10,
                     subcategories=["Men's Clothing", "Women's Clothing", "Footwear",
                                    "Ethnic Wear", "Watches", "Bags", "Kids' Clothing"],
                     brands=["Allen Solly", "Biba", "W", "Roadster", "HRX", "Puma", "Bata",
                             "Fabindia", "Levi's", "Van Heusen", "Manyavar", "Libas"]),
        "Home": c(product_share=0.14, traffic_share=0.12, price_median=1200, price_sigma=0.8,
                  price_min=99, max_quantity=3,
                  subcategories=["Kitchen", "Furniture", "Decor", "Bedding", "Appliances",
                                 "Storage"],
                  brands=["Prestige", "Pigeon", "Milton", "Cello", "Bajaj", "Havells",
                          "Solimo", "Wakefit", "Borosil", "Philips"]),
        "Beauty": c(product_share=0.10, traffic_share=0.10, price_median=399, price_sigma=0.6,
                    price_min=49, max_quantity=3, multi_unit_prob=0.12,
                    subcategories=["Skincare", "Makeup", "Haircare", "Fragrance", "Grooming"],
                    brands=["Lakme", "Mamaearth", "Himalaya", "Nivea", "Maybelline",
                            "L'Oreal", "Biotique", "The Derma Co", "Plum", "Sugar"]),
        "Grocery": c(product_share=0.14, traffic_share=0.17, price_median=249, price_sigma=0.5,
                     price_min=20, price_max=5000, perishable=True, max_quantity=5,
                     multi_unit_prob=0.25, stock_multiplier=1.5,
                     subcategories=["Staples", "Snacks", "Beverages", "Dairy",
                                    "Personal Care", "Household"],
                     brands=["Tata", "Aashirvaad", "Amul", "Britannia", "Parle", "Haldiram's",
                             "Fortune", "MDH", "Nestle", "Dabur", "Patanjali"]),
        "Books": c(product_share=0.08, traffic_share=0.05, price_median=349, price_sigma=0.45,
                   price_min=79, price_max=5000, max_quantity=2,
                   subcategories=["Fiction", "Non-fiction", "Academic", "Children",
                                  "Self-help", "Comics"],
                   brands=["Penguin", "HarperCollins", "Rupa", "Scholastic", "Arihant",
                           "Westland", "Pan Macmillan"]),
        "Sports": c(product_share=0.06, traffic_share=0.05, price_median=999, price_sigma=0.7,
                    price_min=99, max_quantity=2,
                    subcategories=["Fitness", "Cricket", "Cycling", "Outdoor", "Sportswear"],
                    brands=["Nivia", "Cosco", "SG", "Decathlon", "Adidas", "Yonex", "Boldfit"]),
        "Toys": c(product_share=0.06, traffic_share=0.05, price_median=699, price_sigma=0.6,
                  price_min=99, max_quantity=2,
                  subcategories=["Educational", "Action Figures", "Board Games", "Soft Toys",
                                 "Remote Control"],
                  brands=["Funskool", "Hot Wheels", "LEGO", "Mattel", "Hasbro", "Fisher-Price"]),
    }


# --------------------------------------------------------------------------- customers
class Segment(Strict):
    """A customer behaviour segment (specification: CUSTOMER_SEGMENTS)."""

    weight: Prob
    price_sensitivity: Prob
    cart_abandonment_rate: Prob
    conversion_base: Annotated[float, Field(gt=0.0, le=1.0)]
    preferred_categories: list[str] = Field(default_factory=list)
    activity: Positive = Field(1.0, description="relative number of sessions per customer")


def _segments() -> dict[str, Segment]:
    return {
        "price_sensitive": Segment(weight=0.35, price_sensitivity=0.8, cart_abandonment_rate=0.75,
                                   conversion_base=0.015, preferred_categories=["Fashion", "Home"],
                                   activity=1.1),
        "premium": Segment(weight=0.20, price_sensitivity=0.2, cart_abandonment_rate=0.45,
                           conversion_base=0.035,
                           preferred_categories=["Electronics", "Beauty"], activity=0.9),
        "mainstream": Segment(weight=0.30, price_sensitivity=0.5, cart_abandonment_rate=0.65,
                              conversion_base=0.025,
                              preferred_categories=["Electronics", "Fashion", "Grocery"]),
        "impulse": Segment(weight=0.15, price_sensitivity=0.4, cart_abandonment_rate=0.60,
                           conversion_base=0.030,
                           preferred_categories=["Fashion", "Beauty", "Toys"], activity=1.2),
    }


class AgeGroup(Strict):
    """Age band: share of customers, tech affinity, price sensitivity shift, category tilt."""

    min_age: int = Field(ge=13, le=100)
    max_age: int = Field(ge=13, le=100)
    weight: Prob
    tech_affinity: Prob
    price_sensitivity_shift: Annotated[float, Field(ge=-0.5, le=0.5)] = 0.0
    category_multipliers: dict[str, NonNeg] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _range(self) -> AgeGroup:
        if self.max_age < self.min_age:
            raise ValueError("max_age must be >= min_age")
        return self


def _ages() -> dict[str, AgeGroup]:
    a = AgeGroup
    return {
        "18-24": a(min_age=18, max_age=24, weight=0.36, tech_affinity=0.9,
                   price_sensitivity_shift=0.15,
                   category_multipliers={"Electronics": 1.3, "Fashion": 1.3, "Books": 1.2,
                                         "Home": 0.6, "Grocery": 0.7}),
        "25-34": a(min_age=25, max_age=34, weight=0.42, tech_affinity=0.8,
                   category_multipliers={"Electronics": 1.2, "Fashion": 1.1, "Home": 1.0}),
        "35-44": a(min_age=35, max_age=44, weight=0.13, tech_affinity=0.6,
                   price_sensitivity_shift=-0.05,
                   category_multipliers={"Home": 1.4, "Grocery": 1.3, "Toys": 1.6}),
        "45-54": a(min_age=45, max_age=54, weight=0.06, tech_affinity=0.4,
                   price_sensitivity_shift=-0.05,
                   category_multipliers={"Home": 1.4, "Grocery": 1.4, "Books": 1.1,
                                         "Fashion": 0.8}),
        "55+": a(min_age=55, max_age=75, weight=0.03, tech_affinity=0.25,
                 category_multipliers={"Grocery": 1.5, "Books": 1.3, "Electronics": 0.7,
                                       "Fashion": 0.7}),
    }


class Gender(Strict):
    """Gender share and category preference multipliers (GENDER_PREFERENCES)."""

    weight: Prob
    category_multipliers: dict[str, NonNeg] = Field(default_factory=dict)


def _genders() -> dict[str, Gender]:
    return {
        "Male": Gender(weight=0.56, category_multipliers={"Electronics": 1.3, "Sports": 1.4,
                                                          "Beauty": 0.5, "Fashion": 0.9}),
        "Female": Gender(weight=0.42, category_multipliers={"Beauty": 1.7, "Fashion": 1.3,
                                                            "Home": 1.2, "Electronics": 0.8}),
        "Other": Gender(weight=0.02),
    }


class Device(Strict):
    """Device: share of customers preferring it and its cart-abandonment shift."""

    weight: Prob
    abandonment_shift: Annotated[float, Field(ge=-0.5, le=0.5)] = 0.0
    cart_multiplier: Positive = 1.0


def _devices() -> dict[str, Device]:
    return {
        "mobile": Device(weight=0.74, abandonment_shift=0.05, cart_multiplier=0.95),
        "desktop": Device(weight=0.20, abandonment_shift=-0.08, cart_multiplier=1.15),
        "tablet": Device(weight=0.06, abandonment_shift=0.0),
    }


class SessionType(Strict):
    """Browsing-session type: share, depth, dwell and intent."""

    weight: Prob
    mean_views: Annotated[float, Field(ge=1.0, le=50.0)]
    dwell_seconds: Positive = Field(description="mean seconds spent on a product page")
    cart_multiplier: Positive = Field(description="scales the chance a view adds to cart")
    same_category: Prob = Field(description="chance each further view stays in the category")
    popularity_exponent: Positive = Field(1.05, description="Zipf exponent of product choice")


def _session_types() -> dict[str, SessionType]:
    return {
        "casual_browse": SessionType(weight=0.52, mean_views=3.2, dwell_seconds=35,
                                     cart_multiplier=0.7, same_category=0.3),
        "targeted_search": SessionType(weight=0.30, mean_views=2.6, dwell_seconds=55,
                                       cart_multiplier=1.6, same_category=0.9,
                                       popularity_exponent=0.9),
        "comparison_shopping": SessionType(weight=0.18, mean_views=5.5, dwell_seconds=70,
                                           cart_multiplier=1.0, same_category=0.95,
                                           popularity_exponent=1.2),
    }


class PaymentMethod(Strict):
    """Payment method: share of orders and the order values it is used for."""

    weight: Positive
    min_order_value: NonNeg = 0.0
    max_order_value: Positive = 10_000_000.0
    high_value_multiplier: Positive = Field(1.0, description="weight above INR 10,000")


def _payments() -> dict[str, PaymentMethod]:
    p = PaymentMethod
    return {
        "cash_on_delivery": p(weight=0.62, max_order_value=50_000, high_value_multiplier=0.35),
        "upi": p(weight=0.20, max_order_value=100_000),
        "credit_card": p(weight=0.06, high_value_multiplier=2.5),
        "debit_card": p(weight=0.05),
        "net_banking": p(weight=0.03, high_value_multiplier=1.5),
        "wallet": p(weight=0.03, max_order_value=10_000),
        "emi": p(weight=0.01, min_order_value=3_000, high_value_multiplier=12.0),
    }


# --------------------------------------------------------------------------- merchants
class MerchantType(Strict):
    """A merchant type and its stocking strategy."""

    weight: Prob
    price_factor: Positive = Field(description="offer price relative to the product's base")
    price_spread: NonNeg = Field(0.05, description="log-space spread of its offer prices")
    buybox_weight: Positive = Field(1.0, description="preference in the buy-box choice")
    initial_cover_days: Positive = Field(description="initial stock, in days of demand")
    reorder_cover_days: Positive = Field(description="reorder size, in days of demand")
    reorder_point_days: Positive = Field(description="reorder when stock covers fewer days")
    min_stock: int = Field(1, ge=0)
    lead_time_shift: int = Field(0, ge=-7, le=14, description="days added to supplier delay")
    catalogue_share: Prob = Field(0.3, description="share of products it offers")


def _merchant_types() -> dict[str, MerchantType]:
    m = MerchantType
    return {
        "brand_store": m(weight=0.15, price_factor=1.02, price_spread=0.02, buybox_weight=1.4,
                         initial_cover_days=30, reorder_cover_days=30, reorder_point_days=5,
                         min_stock=1, lead_time_shift=-1, catalogue_share=0.12),
        "marketplace_seller": m(weight=0.45, price_factor=0.95, price_spread=0.08,
                                buybox_weight=1.0, initial_cover_days=20, reorder_cover_days=20,
                                reorder_point_days=2, min_stock=1, catalogue_share=0.08),
        "wholesaler": m(weight=0.15, price_factor=0.90, price_spread=0.04, buybox_weight=1.1,
                        initial_cover_days=45, reorder_cover_days=45, reorder_point_days=7,
                        min_stock=2, lead_time_shift=2, catalogue_share=0.10),
        "local_retailer": m(weight=0.25, price_factor=1.0, price_spread=0.06, buybox_weight=0.8,
                            initial_cover_days=12, reorder_cover_days=12, reorder_point_days=1,
                            min_stock=1, lead_time_shift=-1, catalogue_share=0.05),
    }


class InventoryConfig(Strict):
    """INVENTORY_CONFIG: restocking, losses and stock-status thresholds."""

    restock_probability: Prob = Field(0.15, description="daily chance that a seller reviews "
                                      "a slow offer at its reorder point and orders stock "
                                      "(offers selling a unit a day or more: every day)")
    damage_rate: Prob = Field(0.002, description="daily loss rate of units on hand (and of "
                              "units received that day), applied on days the offer is "
                              "handled (sold or received)")
    supplier_delay_range: tuple[int, int] = Field((1, 7), description="delivery delay, days")
    unstocked_listing_share: Prob = Field(0.07, description="share of offers listed before "
                                          "their first delivery (out of stock until it "
                                          "arrives, on a random day of the period)")
    backorder_probability: Prob = Field(0.3, description="chance a supplier order is "
                                        "back-ordered and arrives late")
    backorder_delay_range: tuple[int, int] = Field((7, 28), description="extra days of a "
                                                   "back-ordered delivery")
    low_stock_threshold: int = Field(5, ge=0, description="stock at or below this is low_stock")
    adjustment_probability: Prob = Field(0.0005, description="daily chance of a stock-count "
                                         "correction per offer with stock")
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

    batch_size_views: int = Field(50_000, ge=1_000)
    batch_size_customers: int = Field(500_000, ge=1_000, description="customers generated "
                                      "per pass")
    memory_cleanup_frequency: int = Field(5, ge=1, description="days between pool clean-ups")


# --------------------------------------------------------------------------- calendar
class SaleEvent(Strict):
    """A recurring sale window (month-day range, every year of the run)."""

    start: str = Field(pattern=r"^\d{2}-\d{2}$", description="MM-DD")
    end: str = Field(pattern=r"^\d{2}-\d{2}$", description="MM-DD, inclusive")
    traffic_uplift: Annotated[float, Field(ge=1.0, le=20.0)]
    conversion_uplift: Annotated[float, Field(ge=0.5, le=5.0)] = 1.0
    discount_pct: Annotated[float, Field(ge=0.0, le=0.8)] = Field(
        0.0, description="price cut on every category, in whole basis points (0.0001)")
    category_uplift: dict[str, Positive] = Field(default_factory=dict)

    @field_validator("discount_pct")
    @classmethod
    def _whole_basis_points(cls, v: float) -> float:
        if abs(v * 10_000 - round(v * 10_000)) > 1e-6:
            raise ValueError(f"{v!r} is not a whole number of basis points (0.0001); "
                             "discounts are applied in basis points")
        return v


def _calendar() -> dict[str, SaleEvent]:
    e = SaleEvent
    return {
        "republic_day_sale": e(start="01-19", end="01-22", traffic_uplift=1.8,
                               conversion_uplift=1.2, discount_pct=0.15,
                               category_uplift={"Electronics": 1.3}),
        "end_of_season_summer": e(start="06-20", end="06-30", traffic_uplift=1.4,
                                  conversion_uplift=1.1, discount_pct=0.30,
                                  category_uplift={"Fashion": 1.6}),
        "independence_day_sale": e(start="08-06", end="08-10", traffic_uplift=1.8,
                                   conversion_uplift=1.2, discount_pct=0.15,
                                   category_uplift={"Electronics": 1.3}),
        "big_billion_days": e(start="10-03", end="10-09", traffic_uplift=3.3,
                              conversion_uplift=1.35, discount_pct=0.25,
                              category_uplift={"Electronics": 1.5, "Fashion": 1.2}),
        "diwali": e(start="10-28", end="11-02", traffic_uplift=3.0, conversion_uplift=1.25,
                    discount_pct=0.15,
                    category_uplift={"Home": 1.5, "Electronics": 1.3, "Grocery": 1.3}),
        "end_of_season_winter": e(start="12-22", end="12-31", traffic_uplift=1.4,
                                  conversion_uplift=1.1, discount_pct=0.30,
                                  category_uplift={"Fashion": 1.5}),
    }


class Traffic(Strict):
    """Shape of traffic over time (Indian Standard Time)."""

    hourly_weights: list[NonNeg] = Field(
        default_factory=lambda: [1.2, 0.7, 0.4, 0.25, 0.2, 0.3, 0.7, 1.5, 2.6, 3.6, 4.3, 4.7,
                                 5.0, 5.2, 4.9, 4.7, 4.8, 5.1, 5.6, 6.2, 7.0, 7.4, 6.4, 3.4],
        min_length=24, max_length=24)
    weekday_weights: list[NonNeg] = Field(
        default_factory=lambda: [0.95, 0.93, 0.94, 0.96, 1.02, 1.10, 1.10],
        min_length=7, max_length=7, description="Monday..Sunday")
    annual_growth: Annotated[float, Field(ge=-0.9, le=10.0)] = Field(
        0.25, description="traffic growth over a year (0.25 = +25 %)")
    price_elasticity: Annotated[float, Field(ge=0.0, le=5.0)] = Field(
        1.2, description="how strongly add-to-cart falls with price over the category level")
    base_cart_rate: Prob = Field(0.028, description="chance a product view adds to cart for "
                                 "an average customer at the category's price level")
    remove_rate: Prob = Field(0.32, description="chance an added line is removed again")
    purchase_affinity_boost: NonNeg = Field(0.35, description="category weight gained per "
                                            "past purchase in it")
    affinity_cap: int = Field(5, ge=0, le=100)

    @field_validator("hourly_weights", "weekday_weights")
    @classmethod
    def _some_weight(cls, v: list[float]) -> list[float]:
        if not sum(v) > 0:
            raise ValueError("at least one weight must be positive")
        return v


# --------------------------------------------------------------------------- ratings
class Ratings(Strict):
    """Post-purchase ratings."""

    response_rate: Prob = 0.08
    base_shares: list[NonNeg] = Field(default_factory=lambda: [0.10, 0.05, 0.10, 0.21, 0.54],
                                      min_length=5, max_length=5, description="1..5 stars")
    quality_effect: NonNeg = 0.9
    delay_effect: NonNeg = 0.12
    price_effect: NonNeg = 0.4


# --------------------------------------------------------------------------- root
class Config(Strict):
    """The whole effective configuration of a run."""

    seed: int = Field(42, ge=0, lt=2**63)
    num_customers: int = Field(1_000, gt=0, le=2_000_000_000)
    num_products: int = Field(500, gt=0, le=500_000_000)
    num_merchants: int = Field(20, gt=0, le=10_000_000)
    start: dt.date = dt.date(2024, 1, 1)
    end: dt.date = dt.date(2024, 12, 31)
    avg_views_per_day: int = Field(2_000, gt=0, le=10_000_000_000)
    timezone: str = "Asia/Kolkata"
    currency: str = "INR"
    chunk_size: int = Field(65_536, ge=1, le=1 << 26, description="elements per random-draw "
                            "pass; changes speed, never output")
    offers_per_product_max: int = Field(4, ge=1, le=16)

    CUSTOMER_SEGMENTS: dict[str, Segment] = Field(default_factory=_segments)
    AGE_BEHAVIOR_MAPPING: dict[str, AgeGroup] = Field(default_factory=_ages)
    GENDER_PREFERENCES: dict[str, Gender] = Field(default_factory=_genders)
    INVENTORY_CONFIG: InventoryConfig = Field(default_factory=InventoryConfig)
    GPU_CONFIG: GpuConfig = Field(default_factory=GpuConfig)
    CATEGORIES: dict[str, Category] = Field(default_factory=_cats)
    MERCHANT_TYPES: dict[str, MerchantType] = Field(default_factory=_merchant_types)
    SESSION_TYPES: dict[str, SessionType] = Field(default_factory=_session_types)
    DEVICES: dict[str, Device] = Field(default_factory=_devices)
    PAYMENT_METHODS: dict[str, PaymentMethod] = Field(default_factory=_payments)
    SALES_CALENDAR: dict[str, SaleEvent] = Field(default_factory=_calendar)
    TRAFFIC: Traffic = Field(default_factory=Traffic)
    RATINGS: Ratings = Field(default_factory=Ratings)

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        cats = set(self.CATEGORIES)
        for name, seg in self.CUSTOMER_SEGMENTS.items():
            bad = [c for c in seg.preferred_categories if c not in cats]
            if bad:
                raise ValueError(f"CUSTOMER_SEGMENTS.{name}.preferred_categories: unknown "
                                 f"category {bad[0]!r}; known: {', '.join(sorted(cats))}")
        for section, table in (("AGE_BEHAVIOR_MAPPING", self.AGE_BEHAVIOR_MAPPING),
                               ("GENDER_PREFERENCES", self.GENDER_PREFERENCES)):
            for name, item in table.items():
                bad = [c for c in item.category_multipliers if c not in cats]
                if bad:
                    raise ValueError(f"{section}.{name}.category_multipliers: unknown category "
                                     f"{bad[0]!r}; known: {', '.join(sorted(cats))}")
        for name, ev in self.SALES_CALENDAR.items():
            bad = [c for c in ev.category_uplift if c not in cats]
            if bad:
                raise ValueError(f"SALES_CALENDAR.{name}.category_uplift: unknown category "
                                 f"{bad[0]!r}")
            for part in (ev.start, ev.end):
                m, d = int(part[:2]), int(part[3:])
                if not (1 <= m <= 12 and 1 <= d <= 31):
                    raise ValueError(f"SALES_CALENDAR.{name}: {part!r} is not a valid MM-DD")
        for section, table in (("CUSTOMER_SEGMENTS", self.CUSTOMER_SEGMENTS),
                               ("AGE_BEHAVIOR_MAPPING", self.AGE_BEHAVIOR_MAPPING),
                               ("GENDER_PREFERENCES", self.GENDER_PREFERENCES),
                               ("CATEGORIES", self.CATEGORIES),
                               ("MERCHANT_TYPES", self.MERCHANT_TYPES),
                               ("SESSION_TYPES", self.SESSION_TYPES),
                               ("DEVICES", self.DEVICES),
                               ("PAYMENT_METHODS", self.PAYMENT_METHODS)):
            if not table:
                raise ValueError(f"{section} must name at least one entry")
        total = sum(s.weight for s in self.CUSTOMER_SEGMENTS.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"CUSTOMER_SEGMENTS weights sum to {total:.4f}; they must sum to 1")
        if (self.end - self.start).days + 1 > 20 * 366:
            raise ValueError("the period is longer than 20 years; shorten --start/--end")
        return self

    @property
    def num_days(self) -> int:
        """Days simulated, both ends included."""
        return (self.end - self.start).days + 1


Preset = Literal["tiny", "S", "M", "L", "XL"]

#: Size presets: customers, products, merchants, days, avg views/day.
PRESETS: dict[str, dict[str, int]] = {
    "tiny": dict(num_customers=200, num_products=100, num_merchants=5, days=30,
                 avg_views_per_day=500),
    "S": dict(num_customers=10_000, num_products=5_000, num_merchants=50, days=365,
              avg_views_per_day=10_000),
    "M": dict(num_customers=100_000, num_products=50_000, num_merchants=100, days=365,
              avg_views_per_day=20_000),
    "L": dict(num_customers=500_000, num_products=100_000, num_merchants=200, days=365,
              avg_views_per_day=50_000),
    "XL": dict(num_customers=10_000_000, num_products=1_000_000, num_merchants=2_000, days=365,
               avg_views_per_day=1_000_000),
}


def preset_overrides(name: str, start: dt.date = dt.date(2024, 1, 1)) -> dict[str, object]:
    """Config fields set by a size preset."""
    p = PRESETS[name]
    return {
        "num_customers": p["num_customers"],
        "num_products": p["num_products"],
        "num_merchants": p["num_merchants"],
        "avg_views_per_day": p["avg_views_per_day"],
        "start": start,
        "end": start + dt.timedelta(days=p["days"] - 1),
    }
