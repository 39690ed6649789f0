"""Configuration: strict pydantic models whose defaults are the specification's config."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import functools
import json
import math
import zoneinfo
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ecomgen.entities import vocabulary as voc
from ecomgen.simulation.festivals import FESTIVAL_NAMES

#: Error type of ecomgen's own rules; ``settings.describe_validation_error`` phrases it.
RULE = "ecomgen_rule"

#: Dates ecomgen supports (every simulated day and the windows of the sales calendar).
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)

#: Fixed-offset zones suggested when a zone's UTC offset changes within the period.
FIXED_ZONES = "Asia/Kolkata, UTC, Asia/Tokyo, Asia/Dubai or Etc/GMT-3 (UTC+03:00)"

#: A sale window whose end is before its start wraps round the new year; at most this long.
MAX_WRAP_DAYS = 92


def rule(message: str, *, show_value: bool = False) -> PydanticCustomError:
    """A validation error whose one-line message follows the key path (and the value)."""
    return PydanticCustomError(RULE, "{message}", {"message": message, "show_value": show_value})


def _number(value: Any) -> Any:
    """Refuse true/false where a number belongs (pydantic would read them as 1 and 0)."""
    if isinstance(value, bool):
        raise rule("is true/false where a number belongs; write a number", show_value=True)
    return value


#: An int or float field that refuses booleans (ints stay accepted for floats).
Int = Annotated[int, BeforeValidator(_number)]
Float = Annotated[float, BeforeValidator(_number), Field(allow_inf_nan=False)]
#: A boolean field that refuses numbers and strings.
Bool = StrictBool

Prob = Annotated[Float, Field(ge=0.0, le=1.0)]
#: A positive share of a table (relative to the table's sum).
Share = Annotated[Float, Field(gt=0.0, le=1e9)]
#: A relative weight in a table (0 allowed, but not for every entry of the table).
Weight = Annotated[Float, Field(ge=0.0, le=1e9)]
#: A multiplier of a category's weight.
Multiplier = Annotated[Float, Field(ge=0.0, le=1_000.0)]
#: A price in rupees (up to 10 crore, so paise amounts stay far inside int64).
Price = Annotated[Float, Field(gt=0.0, le=100_000_000.0)]
#: A span of days (stock cover, reorder points).
Days = Annotated[Float, Field(gt=0.0, le=3_650.0)]
#: Why a line is returned (``returns.reason``).
ReturnReason = Literal["size_fit", "defective", "damaged_in_transit", "not_as_described",
                       "wrong_item", "changed_mind", "late_delivery"]


def _distinct_names(names: list[str]) -> list[str]:
    """The list unchanged, or a rule error naming the first name listed twice."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise rule(f"lists {json.dumps(name, ensure_ascii=False)} twice; name each entry once")
        seen.add(name)
    return names


def _fmt(x: float) -> str:
    """A number as TOML writes it, whole numbers without a fraction (6000, 0.08)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _all_zero(weights: Iterable[float]) -> bool:
    """True when a non-empty table's weights are all zero."""
    values = list(weights)
    return bool(values) and not any(values)


class Strict(BaseModel):
    """Base model: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# --------------------------------------------------------------------------- catalogue
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


# Demand by month, January..December: summer appliances (Home, April-May), monsoon groceries
# (July-August), festive and winter wear (Fashion, October-December), school terms (Books,
# June-July), New Year fitness and the cricket season (Sports), year-end gifts (Toys).
SEASONS: dict[str, list[float]] = {
    "Electronics": [1.0, 0.95, 0.95, 1.0, 1.05, 1.0, 0.95, 0.95, 1.0, 1.1, 1.05, 1.0],
    "Fashion": [1.05, 0.95, 0.95, 0.9, 0.9, 0.95, 0.9, 0.95, 1.0, 1.15, 1.15, 1.15],
    "Home": [0.9, 0.95, 1.05, 1.2, 1.25, 1.05, 0.9, 0.9, 0.95, 1.05, 1.0, 0.95],
    "Beauty": [1.05, 1.05, 1.0, 0.95, 0.95, 0.95, 0.95, 1.0, 1.0, 1.05, 1.05, 1.05],
    "Grocery": [1.0, 1.0, 1.0, 0.95, 0.95, 1.05, 1.15, 1.1, 1.05, 1.0, 0.95, 1.0],
    "Books": [1.1, 1.0, 0.95, 0.95, 1.0, 1.15, 1.1, 0.95, 0.95, 0.95, 0.95, 1.0],
    "Sports": [1.15, 1.0, 1.05, 1.15, 1.1, 0.9, 0.85, 0.9, 0.95, 1.0, 0.95, 1.0],
    "Toys": [0.95, 0.95, 0.95, 0.95, 1.0, 1.0, 0.95, 0.95, 1.0, 1.1, 1.05, 1.15],
}


def _sub(share: float, median: float, sigma: float, noun: str, brands: str,
         variants: list[tuple[Any, ...]], brand_price: dict[str, float] | None = None,
         *, model_code: bool = True) -> Subcategory:
    """A default subcategory: ``brands`` comma-separated, variants as (label, factor, weight)
    or (label, factor, weight, "brands that make it, comma-separated")."""
    return Subcategory(share=share, price_median=median, price_sigma=sigma, noun=noun,
                       model_code=model_code, brands=[b.strip() for b in brands.split(",")],
                       brand_price=brand_price or {},
                       variants=[Variant(label=v[0], price_factor=v[1], weight=v[2],
                                         brands=[b.strip() for b in v[3].split(",")]
                                         if len(v) > 3 else [])
                                 for v in variants])


# Provenance: the categories, subcategories, brands, variants and every figure below were
# written for ecomgen (brands sold in India, used only as labels; MRPs near 2024 Indian
# storefront levels); no third-party data set.
def _electronics() -> dict[str, Subcategory]:
    return {
        "Mobiles": _sub(3, 16999, 0.3, "Smartphone", "Samsung, Xiaomi, Realme, Vivo, Oppo, "
                        "OnePlus, Apple",
                        [("4 GB RAM, 64 GB", 0.7, 2), ("6 GB RAM, 128 GB", 0.85, 3),
                         ("8 GB RAM, 128 GB", 1.0, 3), ("8 GB RAM, 256 GB", 1.25, 2),
                         ("12 GB RAM, 256 GB", 1.6, 1)],
                        {"Apple": 4.0, "OnePlus": 1.8, "Samsung": 1.15, "Realme": 0.8,
                         "Xiaomi": 0.85}),
        "Laptops": _sub(1, 62990, 0.25, "Laptop", "HP, Lenovo, Dell, ASUS, Acer, Apple",
                        [("8 GB RAM, 512 GB SSD", 0.8, 3), ("16 GB RAM, 512 GB SSD", 1.0, 3),
                         ("16 GB RAM, 1 TB SSD", 1.3, 2), ("32 GB RAM, 1 TB SSD", 1.9, 1)],
                        {"Apple": 1.8, "Acer": 0.85}),
        "Headphones": _sub(2, 1999, 0.5, "Headphones", "boAt, Noise, JBL, Sony, Samsung, "
                           "OnePlus, Apple",
                           [("Wired", 0.35, 1), ("Wireless Earbuds", 1.0, 4),
                            ("Neckband", 0.7, 2), ("Noise Cancelling", 3.0, 1)],
                           {"Apple": 6.0, "Sony": 2.5, "Samsung": 2.0, "JBL": 1.6}),
        "Televisions": _sub(0.7, 34990, 0.25, "Smart TV", "Samsung, LG, Xiaomi, Sony, TCL, "
                            "OnePlus",
                            [("32-inch", 0.45, 1.5), ("43-inch", 0.85, 3.5), ("55-inch", 1.5, 2),
                             ("65-inch", 2.4, 1)],
                            {"Sony": 1.5, "Samsung": 1.15, "LG": 1.15, "TCL": 0.85}),
        "Smartwatches": _sub(1, 2999, 0.5, "Smartwatch", "Noise, boAt, Fire-Boltt, Samsung, "
                             "Apple", [("Bluetooth Calling", 1.0, 3), ("AMOLED", 1.5, 2)],
                             {"Apple": 12.0, "Samsung": 6.0}),
        "Cameras": _sub(0.3, 49990, 0.45, "Camera", "Canon, Nikon, Sony",
                        [("Body Only", 0.85, 1), ("18-55 mm Kit", 1.0, 2),
                         ("Twin Lens Kit", 1.35, 1)], {"Sony": 1.3}),
        "Tablets": _sub(0.5, 19999, 0.3, "Tablet", "Samsung, Apple, Lenovo, Xiaomi, OnePlus, "
                        "Realme",
                        [("Wi-Fi, 64 GB", 0.85, 2), ("Wi-Fi, 128 GB", 1.0, 2),
                         ("Wi-Fi + Cellular, 128 GB", 1.3, 1)], {"Apple": 2.2}),
        "Accessories": _sub(4, 599, 0.5, "", "Portronics, boAt, Ambrane, Samsung, Xiaomi, "
                            "Apple",
                            [("USB-C Cable", 0.5, 3), ("Fast Charger", 1.2, 2),
                             ("Power Bank 10000 mAh", 2.0, 2,
                              "Ambrane, Portronics, Xiaomi, Samsung"),
                             ("Phone Case", 0.6, 3),
                             ("Screen Guard", 0.4, 2),
                             ("Wireless Mouse", 1.0, 1, "Portronics, Apple")],
                            {"Apple": 3.0, "Samsung": 1.6}),
    }


def _fashion() -> dict[str, Subcategory]:
    return {
        "Men's Clothing": _sub(3, 1299, 0.4, "", "Roadster, Allen Solly, Van Heusen, Levi's, "
                               "HRX, Max",
                               [("Men's T-shirt", 0.55, 3), ("Men's Shirt", 1.0, 3),
                                ("Men's Jeans", 1.5, 2), ("Men's Trousers", 1.3, 1),
                                ("Men's Jacket", 2.5, 1)],
                               {"Levi's": 1.6, "Van Heusen": 1.4, "Allen Solly": 1.3,
                                "Max": 0.7}),
        "Women's Clothing": _sub(3, 1199, 0.4, "", "Libas, W, Biba, Roadster, Fabindia, Max",
                                 [("Women's Kurta", 1.0, 3), ("Women's Top", 0.6, 3),
                                  ("Women's Dress", 1.3, 2), ("Women's Jeans", 1.4, 1),
                                  ("Saree", 1.8, 1)],
                                 {"Fabindia": 1.5, "Biba": 1.2, "Max": 0.7}),
        "Footwear": _sub(2, 1799, 0.4, "", "Bata, Campus, Puma, HRX, Red Tape",
                         [("Sneakers", 1.3, 3), ("Sandals", 0.7, 2),
                          ("Formal Shoes", 1.4, 1, "Bata, Red Tape"),
                          ("Flip-flops", 0.3, 2),
                          ("Running Shoes", 1.5, 2, "Puma, Campus, HRX, Red Tape")],
                         {"Puma": 1.8, "Campus": 0.8}),
        "Ethnic Wear": _sub(1.5, 2499, 0.45, "", "Manyavar, Fabindia, Biba, Libas, W",
                            [("Kurta Set", 1.0, 4), ("Sherwani", 4.0, 1),
                             ("Lehenga", 3.0, 1), ("Silk Saree", 1.6, 2)],
                            {"Manyavar": 1.8, "Fabindia": 1.3}),
        "Watches": _sub(0.8, 2995, 0.5, "Watch", "Titan, Fastrack, Casio",
                        [("Analog", 1.0, 3), ("Chronograph", 2.0, 1), ("Digital", 0.6, 1)],
                        {"Titan": 1.5, "Fastrack": 0.7}),
        "Bags": _sub(1, 1499, 0.45, "", "Wildcraft, Skybags, Puma, Fastrack",
                     [("Backpack", 1.0, 3), ("Handbag", 1.2, 2), ("Laptop Bag", 1.1, 1),
                      ("Trolley Bag", 3.0, 1)], {"Wildcraft": 1.2}),
        "Kids' Clothing": _sub(1.2, 699, 0.4, "", "Gini & Jony, Max, Fabindia, HRX",
                               [("Kids' T-shirt", 0.7, 3), ("Frock", 1.1, 2),
                                ("Shorts Set", 1.0, 2), ("Kids' Ethnic Set", 1.6, 1)]),
    }


def _home() -> dict[str, Subcategory]:
    return {
        "Kitchen": _sub(3, 999, 0.45, "", "Prestige, Pigeon, Milton, Cello, Borosil, Solimo",
                        [("Pressure Cooker 3 L", 1.6, 2, "Prestige, Pigeon"),
                         ("Non-stick Tawa", 0.9, 2, "Prestige, Pigeon"),
                         ("Water Bottle Set", 0.5, 2, "Milton, Cello, Borosil"),
                         ("Dinner Set", 2.0, 1, "Cello, Borosil, Solimo"),
                         ("Kitchen Containers", 0.6, 2, "Milton, Cello, Solimo")],
                        {"Prestige": 1.2, "Solimo": 0.7}),
        "Furniture": _sub(1, 8999, 0.45, "", "Wakefit, Godrej Interio, Nilkamal, Solimo",
                          [("Office Chair", 0.8, 3), ("Study Table", 0.9, 2), ("Sofa", 3.0, 1),
                           ("Bed", 2.5, 1), ("Bookshelf", 0.7, 2)], {"Godrej Interio": 1.4}),
        "Decor": _sub(2, 699, 0.45, "", "Solimo, Nilkamal, Bombay Dyeing, Philips",
                      [("Wall Clock", 1.0, 2, "Solimo, Nilkamal"),
                       ("Photo Frame Set", 0.7, 2, "Solimo"),
                       ("Table Lamp", 1.3, 1, "Philips, Solimo"),
                       ("Artificial Plant", 0.8, 1, "Solimo"),
                       ("Curtains, Pair", 1.2, 2, "Bombay Dyeing, Solimo")]),
        "Bedding": _sub(1.5, 1299, 0.4, "", "Wakefit, Sleepwell, Bombay Dyeing, Solimo",
                        [("Double Bedsheet Set", 1.0, 4, "Bombay Dyeing, Solimo, Wakefit"),
                         ("Pillows, Pair", 0.8, 2, "Wakefit, Sleepwell, Solimo"),
                         ("Queen Mattress", 8.0, 1, "Wakefit, Sleepwell"),
                         ("Comforter", 1.8, 1, "Bombay Dyeing, Solimo, Wakefit")]),
        "Appliances": _sub(1.5, 3499, 0.45, "", "Bajaj, Havells, Philips, Prestige, Usha, "
                           "Crompton",
                           [("Mixer Grinder", 1.0, 3, "Bajaj, Philips, Prestige, Usha"),
                            ("Ceiling Fan", 0.8, 2, "Havells, Crompton, Bajaj, Usha"),
                            ("Air Cooler", 2.5, 1, "Bajaj, Crompton, Usha"),
                            ("Induction Cooktop", 0.7, 2, "Prestige, Philips, Bajaj"),
                            ("Water Heater", 2.0, 1, "Havells, Crompton, Bajaj"),
                            ("Dry Iron", 0.3, 2, "Philips, Bajaj, Havells, Usha")],
                           {"Philips": 1.2, "Havells": 1.15}),
        "Storage": _sub(1, 599, 0.4, "", "Cello, Milton, Nilkamal, Solimo",
                        [("Container Set", 0.8, 3), ("Shoe Rack", 2.0, 1),
                         ("Storage Box", 0.6, 2), ("Laundry Basket", 0.8, 1)]),
    }


def _beauty() -> dict[str, Subcategory]:
    return {
        "Skincare": _sub(3, 399, 0.35, "", "Mamaearth, Himalaya, Nivea, The Derma Co, Plum, "
                         "Biotique, L'Oreal",
                         [("Face Wash 100 ml", 0.7, 3), ("Moisturiser 50 ml", 1.0, 2),
                          ("Sunscreen 50 g", 1.1, 2), ("Face Serum 30 ml", 1.5, 2),
                          ("Night Cream 50 g", 1.2, 1)], {"The Derma Co": 1.3, "Nivea": 0.8}),
        "Makeup": _sub(2, 499, 0.35, "", "Lakme, Maybelline, Sugar, L'Oreal",
                       [("Matte Lipstick", 1.0, 3), ("Kajal", 0.5, 2), ("Foundation", 1.4, 1),
                        ("Nail Polish", 0.45, 2), ("Compact Powder", 1.0, 1)],
                       {"L'Oreal": 1.4, "Sugar": 1.2}),
        "Haircare": _sub(2, 349, 0.35, "", "Himalaya, L'Oreal, Mamaearth, Biotique",
                         [("Shampoo 340 ml", 1.0, 3), ("Hair Oil 200 ml", 0.7, 2),
                          ("Conditioner 180 ml", 1.0, 1), ("Hair Serum 100 ml", 1.2, 1)]),
        "Fragrance": _sub(1, 599, 0.5, "", "Fogg, Park Avenue, Nivea, Bombay Shaving Company",
                          [("Deodorant 150 ml", 0.5, 3,
                            "Fogg, Park Avenue, Nivea, Bombay Shaving Company"),
                           ("Perfume 100 ml", 1.6, 2, "Fogg, Park Avenue, Bombay Shaving Company"),
                           ("Body Mist 135 ml", 0.6, 1, "Fogg, Nivea")]),
        "Grooming": _sub(1.5, 449, 0.5, "", "Gillette, Philips, Beardo, Bombay Shaving Company",
                         [("Razor", 0.6, 2, "Gillette, Bombay Shaving Company"),
                          ("Beard Trimmer", 3.0, 2, "Philips, Bombay Shaving Company"),
                          ("Shaving Foam", 0.5, 2, "Gillette, Bombay Shaving Company"),
                          ("Beard Oil", 0.8, 1, "Beardo, Bombay Shaving Company")],
                         {"Philips": 1.3}),
    }


def _grocery() -> dict[str, Subcategory]:
    return {
        "Staples": _sub(3, 199, 0.3, "", "Aashirvaad, Tata, Fortune, MDH, Patanjali",
                        [("Atta 5 kg", 1.4, 2, "Aashirvaad, Fortune, Patanjali"),
                         ("Basmati Rice 1 kg", 0.8, 2, "Fortune, Patanjali"),
                         ("Toor Dal 1 kg", 0.8, 2, "Tata, Fortune"),
                         ("Sunflower Oil 1 L", 0.8, 2, "Fortune, Patanjali"),
                         ("Salt 1 kg", 0.15, 1, "Tata, Aashirvaad"),
                         ("Sugar 1 kg", 0.25, 1, "Patanjali"),
                         ("Garam Masala 100 g", 0.45, 1, "MDH, Tata, Patanjali")],
                        model_code=False),
        "Snacks": _sub(2, 99, 0.35, "", "Britannia, Parle, Haldiram's, Lay's",
                       [("Biscuits 250 g", 0.6, 3, "Britannia, Parle"),
                        ("Namkeen 400 g", 1.0, 2, "Haldiram's"),
                        ("Chips 90 g", 0.4, 2, "Lay's, Haldiram's"),
                        ("Cookies 600 g", 1.6, 1, "Britannia, Parle")], model_code=False),
        "Beverages": _sub(1.5, 199, 0.4, "", "Tata, Nestle, Dabur, Bisleri",
                          [("Tea 500 g", 1.3, 2, "Tata"),
                           ("Instant Coffee 100 g", 1.5, 2, "Nestle, Tata"),
                           ("Fruit Juice 1 L", 0.6, 2, "Dabur"),
                           ("Mineral Water 12 x 1 L", 1.2, 1, "Bisleri")],
                          model_code=False),
        "Dairy": _sub(1.5, 99, 0.35, "", "Amul, Mother Dairy, Nestle, Britannia",
                      [("Toned Milk 1 L", 0.7, 3, "Amul, Mother Dairy, Nestle"),
                       ("Butter 500 g", 2.8, 1, "Amul, Mother Dairy, Britannia"),
                       ("Paneer 200 g", 1.0, 2, "Amul, Mother Dairy"),
                       ("Curd 400 g", 0.6, 2, "Amul, Mother Dairy, Nestle"),
                       ("Cheese Slices 200 g", 1.5, 1, "Amul, Britannia, Mother Dairy")],
                      model_code=False),
        "Personal Care": _sub(1.5, 199, 0.35, "", "Colgate, Dabur, Patanjali, Dettol",
                              [("Toothpaste 150 g", 0.6, 2, "Colgate, Dabur, Patanjali"),
                               ("Soap, Pack of 4", 1.0, 2, "Dettol, Patanjali"),
                               ("Handwash 750 ml", 0.8, 1, "Dettol"),
                               ("Shampoo 650 ml", 2.0, 1, "Dabur, Patanjali")],
                              model_code=False),
        "Household": _sub(1.5, 249, 0.35, "", "Surf Excel, Vim, Harpic, Lizol",
                          [("Detergent Powder 2 kg", 1.2, 2, "Surf Excel"),
                           ("Dishwash Gel 750 ml", 0.7, 2, "Vim"),
                           ("Toilet Cleaner 1 L", 0.75, 1, "Harpic"),
                           ("Floor Cleaner 2 L", 1.5, 1, "Lizol")],
                          model_code=False),
    }


def _books() -> dict[str, Subcategory]:
    bound = [("Paperback", 1.0, 4), ("Hardcover", 1.8, 1)]
    return {
        "Fiction": _sub(2, 299, 0.3, "Novel", "Penguin, HarperCollins, Rupa, Westland, "
                        "Pan Macmillan", bound),
        "Non-fiction": _sub(1.5, 449, 0.35, "Book", "Penguin, HarperCollins, Westland, "
                            "Pan Macmillan", bound),
        "Academic": _sub(1.5, 499, 0.4, "Exam Guide", "Arihant, Pearson", bound),
        "Children": _sub(1, 249, 0.35, "Story Book", "Scholastic, Penguin, HarperCollins",
                         bound),
        "Self-help": _sub(1, 299, 0.3, "Book", "Penguin, HarperCollins, Rupa, Westland",
                          bound),
        "Comics": _sub(0.6, 199, 0.35, "Comic", "Amar Chitra Katha, Scholastic", bound),
    }


def _sports() -> dict[str, Subcategory]:
    return {
        "Fitness": _sub(2, 999, 0.5, "", "Boldfit, Decathlon, Cosco, Nivia",
                        [("Yoga Mat", 0.6, 3), ("Dumbbell Set 10 kg", 1.6, 2),
                         ("Resistance Bands", 0.5, 2), ("Home Gym Bench", 5.0, 1),
                         ("Treadmill", 25.0, 0.3)]),
        "Cricket": _sub(1, 1499, 0.45, "", "SG, SS, Cosco, Nivia",
                        [("Kashmir Willow Bat", 1.0, 2), ("English Willow Bat", 4.0, 1),
                         ("Cricket Balls, Pack of 6", 0.5, 2), ("Batting Gloves", 0.7, 1),
                         ("Kit Bag", 1.3, 1)], {"SS": 1.2}),
        "Cycling": _sub(0.6, 8999, 0.35, "", "Hero, Firefox, Decathlon",
                        [("Bicycle 26T", 1.0, 3), ("Kids' Bicycle 16T", 0.6, 2),
                         ("Geared Bicycle 21S", 1.8, 1), ("Cycling Helmet", 0.15, 1)],
                        {"Firefox": 1.4}),
        "Outdoor": _sub(1, 1999, 0.45, "", "Decathlon, Yonex, Nivia, Cosco",
                        [("Tent, 2 Person", 1.5, 1, "Decathlon"),
                         ("Trekking Backpack 50 L", 1.0, 1, "Decathlon"),
                         ("Badminton Racquet", 0.6, 3, "Yonex, Nivia, Cosco"),
                         ("Football", 0.4, 2, "Nivia, Cosco, Decathlon")],
                        {"Yonex": 1.6}),
        "Sportswear": _sub(1.5, 1199, 0.4, "", "Adidas, Decathlon, Nivia, Boldfit",
                           [("Track Pants", 1.0, 3), ("Training T-shirt", 0.7, 3),
                            ("Running Shoes", 2.5, 2), ("Shorts", 0.6, 2)],
                           {"Adidas": 2.0, "Boldfit": 0.7}),
    }


def _toys() -> dict[str, Subcategory]:
    return {
        "Educational": _sub(1.5, 699, 0.4, "", "Skillmatics, Funskool, Fisher-Price, LEGO",
                            [("Jigsaw Puzzle", 0.7, 2, "Skillmatics, Funskool"),
                             ("STEM Kit", 1.5, 2, "Skillmatics, Funskool"),
                             ("Activity Set", 0.6, 2, "Skillmatics, Fisher-Price, Funskool"),
                             ("Building Set", 3.0, 2, "LEGO")],
                            {"LEGO": 2.5}),
        "Action Figures": _sub(1, 999, 0.4, "", "Hasbro, Mattel, Funskool",
                               [("Action Figure", 1.0, 3), ("Figure Set", 2.0, 1)]),
        "Board Games": _sub(1, 699, 0.35, "", "Funskool, Hasbro, Mattel, Skillmatics",
                            [("Board Game", 1.0, 3), ("Card Game", 0.5, 2),
                             ("Strategy Game", 1.8, 1)]),
        "Soft Toys": _sub(1, 599, 0.4, "", "Mirada, Funskool, Fisher-Price",
                          [("Teddy Bear 30 cm", 1.0, 3), ("Teddy Bear 90 cm", 3.0, 1),
                           ("Plush Animal", 0.8, 2)]),
        "Remote Control": _sub(0.8, 1999, 0.4, "", "Hot Wheels, Mattel, Funskool",
                               [("RC Car", 1.0, 3), ("RC Helicopter", 1.5, 1),
                                ("RC Monster Truck", 1.8, 1),
                                ("Die-cast Car Set", 0.4, 2, "Hot Wheels")],
                               {"Hot Wheels": 1.2}),
    }


def _cats() -> dict[str, Category]:
    c = Category
    return {
        "Electronics": c(sale_depth=0.6, clearance_discount=0.15,
                         extra_transit_days=1,
                         return_rate=0.06, return_window_days=7,
                         return_reasons={"defective": 4.0, "damaged_in_transit": 2.0,
                                         "not_as_described": 2.0, "wrong_item": 1.0,
                                         "changed_mind": 1.0},
                         repeat_affinity=0.1, satiation_days=90,
                         product_share=0.16, traffic_share=0.09, price_median=4499,
                         case_pack=2, at_mrp_share=0.20, mrp_discount=0.12,
                         price_sigma=0.85, price_min=99, max_quantity=2, multi_unit_prob=0.02,
                         stock_multiplier=0.8, subcategories=_electronics(),
                         brands=["Samsung", "Apple", "Xiaomi", "OnePlus", "Realme", "Vivo",
                                 "Oppo", "Lenovo", "HP", "Dell", "ASUS", "Acer", "boAt",
                                 "Sony", "LG", "TCL", "Noise", "Fire-Boltt", "JBL", "Canon",
                                 "Nikon", "Portronics", "Ambrane"],
                         seasonality=SEASONS["Electronics"]),
        "Fashion": c(sale_depth=1.6, clearance_discount=0.4,
                     return_rate=0.3, return_window_days=14,
                     return_reasons={"size_fit": 10.0, "not_as_described": 3.0,
                                     "changed_mind": 3.0, "defective": 1.0, "wrong_item": 1.0,
                                     "damaged_in_transit": 0.5},
                     repeat_affinity=0.2, satiation_days=30,
                     product_share=0.26, traffic_share=0.27, price_median=1299, price_sigma=0.6,
                     case_pack=6, at_mrp_share=0.08, mrp_discount=0.40,
                     price_min=149, max_quantity=3, multi_unit_prob=0.10,
                     subcategories=_fashion(),
                     brands=["Allen Solly", "Biba", "W", "Roadster", "HRX", "Puma", "Bata",
                             "Fabindia", "Levi's", "Van Heusen", "Manyavar", "Libas", "Max",
                             "Campus", "Red Tape", "Titan", "Fastrack", "Casio", "Wildcraft",
                             "Skybags", "Gini & Jony"],
                     seasonality=SEASONS["Fashion"]),
        "Home": c(sale_depth=1.2, clearance_discount=0.25,
                  extra_transit_days=1,
                  return_rate=0.12, return_window_days=10,
                  return_reasons={"defective": 3.0, "damaged_in_transit": 3.0,
                                  "not_as_described": 2.0, "wrong_item": 1.0,
                                  "changed_mind": 1.0},
                  repeat_affinity=0.2, satiation_days=45,
                  product_share=0.14, traffic_share=0.12, price_median=1699, price_sigma=0.8,
                  case_pack=2, at_mrp_share=0.12, mrp_discount=0.30,
                  price_min=99, max_quantity=3, subcategories=_home(),
                  brands=["Prestige", "Pigeon", "Milton", "Cello", "Bajaj", "Havells",
                          "Solimo", "Wakefit", "Borosil", "Philips", "Godrej Interio",
                          "Nilkamal", "Bombay Dyeing", "Sleepwell", "Usha", "Crompton"],
                  seasonality=SEASONS["Home"]),
        "Beauty": c(sale_depth=1.0, clearance_discount=0.2,
                    return_rate=0.06, return_window_days=7,
                    return_reasons={"damaged_in_transit": 2.0, "wrong_item": 2.0,
                                    "not_as_described": 2.0, "changed_mind": 1.0,
                                    "defective": 1.0},
                    repeat_affinity=2.0,
                    product_share=0.10, traffic_share=0.10, price_median=449, price_sigma=0.6,
                    case_pack=6, at_mrp_share=0.30, mrp_discount=0.15,
                    price_min=49, max_quantity=3, multi_unit_prob=0.12,
                    subcategories=_beauty(), replenish_days=21,
                    brands=["Lakme", "Mamaearth", "Himalaya", "Nivea", "Maybelline",
                            "L'Oreal", "Biotique", "The Derma Co", "Plum", "Sugar", "Fogg",
                            "Park Avenue", "Gillette", "Philips", "Beardo",
                            "Bombay Shaving Company"],
                    seasonality=SEASONS["Beauty"]),
        "Grocery": c(sale_depth=0.5, clearance_discount=0.15,
                     return_rate=0.03, return_window_days=2,
                     return_reasons={"damaged_in_transit": 4.0, "wrong_item": 2.0,
                                     "not_as_described": 1.0},
                     repeat_affinity=2.0,
                     product_share=0.14, traffic_share=0.17, price_median=259, price_sigma=0.5,
                     case_pack=12, at_mrp_share=0.70, mrp_discount=0.06,
                     price_min=10, price_max=5000, perishable=True, max_quantity=5,
                     multi_unit_prob=0.25, stock_multiplier=1.5, subcategories=_grocery(),
                     replenish_days=14,
                     brands=["Tata", "Aashirvaad", "Amul", "Britannia", "Parle", "Haldiram's",
                             "Fortune", "MDH", "Nestle", "Dabur", "Patanjali", "Lay's",
                             "Bisleri", "Mother Dairy", "Colgate", "Dettol", "Surf Excel",
                             "Vim", "Harpic", "Lizol"],
                     seasonality=SEASONS["Grocery"]),
        "Books": c(sale_depth=0.8, clearance_discount=0.3,
                   return_rate=0.03, return_window_days=7,
                   return_reasons={"damaged_in_transit": 3.0, "wrong_item": 2.0, "defective": 1.0,
                                   "changed_mind": 1.0},
                   product_share=0.08, traffic_share=0.05, price_median=399, price_sigma=0.45,
                   case_pack=5, at_mrp_share=0.35, mrp_discount=0.18,
                   price_min=79, price_max=5000, max_quantity=2, subcategories=_books(),
                   brands=["Penguin", "HarperCollins", "Rupa", "Scholastic", "Arihant",
                           "Westland", "Pan Macmillan", "Pearson", "Amar Chitra Katha"],
                   seasonality=SEASONS["Books"]),
        "Sports": c(sale_depth=1.2, clearance_discount=0.3,
                    return_rate=0.1, return_window_days=10,
                    return_reasons={"size_fit": 3.0, "defective": 2.0, "damaged_in_transit": 1.0,
                                    "not_as_described": 2.0, "changed_mind": 2.0},
                    repeat_affinity=0.5, satiation_days=60,
                    product_share=0.06, traffic_share=0.05, price_median=1399, price_sigma=0.7,
                    case_pack=3, at_mrp_share=0.10, mrp_discount=0.30,
                    price_min=99, max_quantity=2, subcategories=_sports(),
                    brands=["Nivia", "Cosco", "SG", "SS", "Decathlon", "Adidas", "Yonex",
                            "Boldfit", "Hero", "Firefox"],
                    seasonality=SEASONS["Sports"]),
        "Toys": c(sale_depth=1.1, clearance_discount=0.3,
                  return_rate=0.06, return_window_days=10,
                  return_reasons={"defective": 3.0, "damaged_in_transit": 2.0,
                                  "not_as_described": 2.0, "changed_mind": 1.0,
                                  "wrong_item": 1.0},
                  repeat_affinity=0.6, satiation_days=45,
                  product_share=0.06, traffic_share=0.05, price_median=899, price_sigma=0.6,
                  case_pack=4, at_mrp_share=0.20, mrp_discount=0.25,
                  price_min=99, max_quantity=2, subcategories=_toys(),
                  brands=["Funskool", "Hot Wheels", "LEGO", "Mattel", "Hasbro", "Fisher-Price",
                          "Skillmatics", "Mirada"],
                  seasonality=SEASONS["Toys"]),
    }


# --------------------------------------------------------------------------- customers
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
    category_multipliers: dict[str, Multiplier] = Field(default_factory=dict)


def _genders() -> dict[str, Gender]:
    return {
        "Male": Gender(weight=0.56, category_multipliers={"Electronics": 1.3, "Sports": 1.4,
                                                          "Beauty": 0.5, "Fashion": 0.9}),
        "Female": Gender(weight=0.42, category_multipliers={"Beauty": 1.7, "Fashion": 1.3,
                                                            "Home": 1.2, "Electronics": 0.8}),
        "Other": Gender(weight=0.02),
    }


class Device(Strict):
    """Device: share of customers preferring it, its use by time of day, its cart habits."""

    weight: Prob
    abandonment_shift: Annotated[Float, Field(ge=-0.5, le=0.5)] = 0.0
    cart_multiplier: Annotated[Float, Field(gt=0.0, le=100.0)] = 1.0
    office_hours_factor: Annotated[Float, Field(gt=0.0, le=10.0)] = Field(
        1.0, description="use on weekdays 10:00-18:59 relative to other hours")
    night_factor: Annotated[Float, Field(gt=0.0, le=10.0)] = Field(
        1.0, description="use from 00:00 to 05:59 relative to other hours")


# Provenance: shares after StatCounter India (tablets < 1 % of web traffic) and the
# app-first traffic reported by Indian marketplaces (70-90 % from app and mobile web).
def _devices() -> dict[str, Device]:
    return {
        "app": Device(weight=0.60, abandonment_shift=0.03, cart_multiplier=1.0,
                      office_hours_factor=0.85, night_factor=1.15),
        "mobile_web": Device(weight=0.23, abandonment_shift=0.09, cart_multiplier=0.85,
                             office_hours_factor=0.9, night_factor=1.1),
        "desktop": Device(weight=0.15, abandonment_shift=-0.08, cart_multiplier=1.15,
                          office_hours_factor=2.2, night_factor=0.35),
        "tablet": Device(weight=0.02, abandonment_shift=0.0, office_hours_factor=0.8,
                         night_factor=0.8),
    }


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


def _payments() -> dict[str, PaymentMethod]:
    p = PaymentMethod
    return {
        "cash_on_delivery": p(weight=0.62, max_order_value=50_000, high_value_multiplier=1.2,
                              low_value_multiplier=0.7,
                              tier_multipliers=(0.8, 1.05, 1.3)),
        "upi": p(refund_days=1, weight=0.20, max_order_value=100_000, high_value_multiplier=0.25,
                 low_value_multiplier=2.0,
                 tier_multipliers=(1.25, 0.95, 0.8)),
        "credit_card": p(refund_days=6, weight=0.06, high_value_multiplier=2.5,
                         tier_multipliers=(1.8, 0.8, 0.4)),
        "debit_card": p(refund_days=5, weight=0.05, tier_multipliers=(1.2, 1.0, 0.8)),
        "net_banking": p(refund_days=4, weight=0.03, high_value_multiplier=1.5,
                         tier_multipliers=(1.2, 1.0, 0.8)),
        "wallet": p(refund_days=0.1, weight=0.03, max_order_value=10_000,
                    low_value_multiplier=1.5, tier_multipliers=(1.3, 1.0, 0.7)),
        "emi": p(refund_days=7, weight=0.01, min_order_value=3_000, high_value_multiplier=20.0,
                 tier_multipliers=(1.5, 0.9, 0.6)),
    }


# --------------------------------------------------------------------------- merchants
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


def _merchant_types() -> dict[str, MerchantType]:
    m = MerchantType
    return {
        "brand_store": m(sale_depth=0.8, reprice_days=120, handling_hours=16,
                         weight=0.15, price_factor=1.0, price_spread=0.03, buybox_weight=1.4,
                         initial_cover_days=30, reorder_cover_days=30, reorder_point_days=5,
                         min_stock=6, safety_stock=6, at_mrp_share=0.3, lead_time_shift=-1,
                         catalogue_share=0.12, specialised=True),
        "marketplace_seller": m(sale_depth=1.1, reprice_days=30, handling_hours=26,
                                weight=0.45, price_factor=0.96, price_spread=0.08,
                                buybox_weight=1.0, initial_cover_days=20, reorder_cover_days=20,
                                reorder_point_days=2, min_stock=6, safety_stock=5,
                                catalogue_share=0.08),
        "wholesaler": m(sale_depth=0.9, reprice_days=60, handling_hours=30,
                        weight=0.15, price_factor=0.93, price_spread=0.05, buybox_weight=1.1,
                        initial_cover_days=45, reorder_cover_days=45, reorder_point_days=7,
                        min_stock=12, safety_stock=10, lead_time_shift=2, catalogue_share=0.10,
                        specialised=True),
        "local_retailer": m(sale_depth=0.7, reprice_days=90, handling_hours=12,
                            weight=0.25, price_factor=1.0, price_spread=0.05, buybox_weight=0.8,
                            initial_cover_days=12, reorder_cover_days=12, reorder_point_days=1,
                            min_stock=5, safety_stock=3, lead_time_shift=-1, catalogue_share=0.05,
                            specialised=True),
    }


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


# --------------------------------------------------------------------------- calendar
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


def month_day_problem(text: str) -> str | None:
    """Why ``text`` is not a month-day of some year (02-29 counts), or None when it is."""
    if len(text) != 5 or text[2] != "-" or not (text[:2] + text[3:]).isdigit() \
            or not text.isascii():
        return "not in MM-DD form"
    month, day = int(text[:2]), int(text[3:])
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    days = calendar.monthrange(2000, month)[1]  # 2000 is a leap year: 02-29 is a day
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} has {days} days"
    return None


def wrap_days(start: str, end: str) -> int:
    """Length in days of a window from ``start`` to an earlier ``end`` of the next year."""
    first = 2004 if start == "02-29" else 2003 if end == "02-29" else 2001  # leap 2004
    a = dt.date(first, int(start[:2]), int(start[3:]))
    b = dt.date(first + 1, int(end[:2]), int(end[3:]))
    return (b - a).days + 1


def _calendar() -> dict[str, SaleEvent]:
    e = SaleEvent
    return {
        "pongal": e(anchor="pongal", days_before=2, days_after=1, traffic_uplift=1.4,
                    states=["Tamil Nadu", "Puducherry"]),
        "republic_day_sale": e(start="01-19", end="01-22", traffic_uplift=1.8, shape="spike",
                               decay=0.8, conversion_uplift=1.2, discount_pct=0.15,
                               discount_spread=0.25,
                               category_uplift={"Electronics": 1.3}),
        "holi": e(anchor="holi", days_before=5, days_after=-1, traffic_uplift=1.25,
                  shape="build_up", decay=0.85,
                  category_uplift={"Fashion": 1.2, "Beauty": 1.2, "Grocery": 1.2}),
        "eid_al_fitr": e(anchor="eid_al_fitr", days_before=6, days_after=-1,
                         traffic_uplift=1.2, shape="build_up", decay=0.85,
                         category_uplift={"Fashion": 1.3, "Grocery": 1.2}),
        "end_of_season_summer": e(start="06-20", end="06-30", traffic_uplift=1.4,
                                  conversion_uplift=1.1, discount_pct=0.30, discount_spread=0.25,
                                  category_uplift={"Fashion": 1.6}),
        "independence_day_sale": e(start="08-06", end="08-10", traffic_uplift=1.8,
                                   shape="spike", decay=0.8, teaser_days=1,
                                   teaser_uplift=1.15, conversion_uplift=1.2,
                                   discount_pct=0.15, discount_spread=0.25,
                                   category_uplift={"Electronics": 1.3}),
        "raksha_bandhan": e(anchor="raksha_bandhan", days_before=6, days_after=-1,
                            traffic_uplift=1.2, shape="build_up", decay=0.85,
                            category_uplift={"Fashion": 1.2, "Beauty": 1.2, "Grocery": 1.2}),
        "onam": e(anchor="onam", days_before=7, days_after=0, traffic_uplift=1.6,
                  shape="build_up", decay=0.85, states=["Kerala"]),
        "big_billion_days": e(anchor="big_billion_days", traffic_uplift=3.8, shape="spike",
                              decay=0.78, teaser_days=3, teaser_uplift=1.3, dip_days=4,
                              dip=0.85, conversion_uplift=1.35, discount_pct=0.25,
                              discount_spread=0.25,
                              category_uplift={"Electronics": 1.5, "Fashion": 1.2}),
        "durga_puja": e(anchor="dussehra", days_before=5, days_after=0, traffic_uplift=1.5,
                        shape="build_up", decay=0.85,
                        states=["West Bengal", "Assam", "Odisha", "Tripura"]),
        "diwali": e(anchor="diwali", days_before=10, days_after=-1, traffic_uplift=2.6,
                    shape="build_up", decay=0.85, dip_days=2, dip=0.6,
                    conversion_uplift=1.25, discount_pct=0.15, discount_spread=0.25,
                    category_uplift={"Home": 1.5, "Electronics": 1.3, "Grocery": 1.3}),
        "end_of_season_winter": e(start="12-22", end="12-31", traffic_uplift=1.4,
                                  conversion_uplift=1.1, discount_pct=0.30, discount_spread=0.25,
                                  category_uplift={"Fashion": 1.5}),
    }


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


# --------------------------------------------------------------------------- ratings
#: How strongly a product's quality, delivery delay or price tilts its star ratings.
Effect = Annotated[Float, Field(ge=0.0, le=10.0)]


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


# --------------------------------------------------------------------------- root
class Config(Strict):
    """The whole effective configuration of a run."""

    seed: Int = Field(42, ge=0, lt=2**63)
    num_customers: Int = Field(1_000, gt=0, le=2_000_000_000)
    num_products: Int = Field(500, gt=0, le=500_000_000)
    num_merchants: Int = Field(20, gt=0, le=10_000_000)
    start: dt.date = Field(dt.date(2024, 1, 1), description=f"first day; {FIRST_DATE} or "
                           "later")
    end: dt.date = Field(dt.date(2024, 12, 31), description=f"last day (inclusive); "
                         f"{LAST_DATE} or earlier, at most 20 years after start")
    avg_views_per_day: Int = Field(2_000, gt=0, le=10_000_000_000)
    timezone: str = Field("Asia/Kolkata", description="IANA time zone of the timestamps; a "
                          "fixed-offset zone: its UTC offset must not change within the period "
                          "(no daylight saving), e.g. Asia/Kolkata, UTC, Asia/Tokyo, Etc/GMT-3")
    currency: str = Field("INR", description="3-letter upper-case ISO 4217 code (a label)")
    chunk_size: Int = Field(65_536, ge=1, le=1 << 26, description="elements per random-draw "
                            "pass; changes speed, never output")
    offers_per_product_max: Int = Field(4, ge=1, le=16)

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
    CUSTOMER_LIFECYCLE: Lifecycle = Field(default_factory=Lifecycle)
    FULFILMENT: Fulfilment = Field(default_factory=Fulfilment)
    RATINGS: Ratings = Field(default_factory=Ratings)

    @field_validator("start", "end")
    @classmethod
    def _supported(cls, v: dt.date) -> dt.date:
        if not FIRST_DATE <= v <= LAST_DATE:
            raise rule(f"is outside the supported range; use a date from {FIRST_DATE} to "
                       f"{LAST_DATE}", show_value=True)
        return v

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        if v not in known_zones():
            close = difflib.get_close_matches(v.lower(), list(known_zones_lower()), n=1)
            hint = f" (did you mean {known_zones_lower()[close[0]]}?)" if close else ""
            raise rule(f"is not a known time zone{hint}; use an IANA name such as "
                       f"{FIXED_ZONES}", show_value=True)
        return v

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        if not (len(v) == 3 and v.isascii() and v.isalpha() and v.isupper()):
            raise rule("is not a currency code; use a 3-letter upper-case ISO 4217 code such "
                       "as INR, USD or EUR", show_value=True)
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        if self.end < self.start:
            raise rule(f"end = {self.end} is before start = {self.start}; the end date must "
                       "be on or after the start date")
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
        known_states = voc.states()
        for name, ev in self.SALES_CALENDAR.items():
            bad = [c for c in ev.category_uplift if c not in cats]
            if bad:
                raise ValueError(f"SALES_CALENDAR.{name}.category_uplift: unknown category "
                                 f"{bad[0]!r}")
            bad = [s for s in ev.states if s not in known_states]
            if bad:
                close = difflib.get_close_matches(bad[0], known_states, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ValueError(f"SALES_CALENDAR.{name}.states: unknown state {bad[0]!r}; "
                                 f"{hint}use a state of the customers' cities, e.g. Kerala")
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
        for section, table, noun in (("AGE_BEHAVIOR_MAPPING", self.AGE_BEHAVIOR_MAPPING,
                                      "age group"),
                                     ("GENDER_PREFERENCES", self.GENDER_PREFERENCES, "gender"),
                                     ("MERCHANT_TYPES", self.MERCHANT_TYPES, "merchant type"),
                                     ("SESSION_TYPES", self.SESSION_TYPES, "session type"),
                                     ("DEVICES", self.DEVICES, "device")):
            if _all_zero(item.weight for item in table.values()):
                raise rule(f"{section}.*.weight are all zero; give at least one {noun} a "
                           "positive weight")
        total = sum(s.weight for s in self.CUSTOMER_SEGMENTS.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"CUSTOMER_SEGMENTS weights sum to {total:.4f}; they must sum to 1")
        if (self.end - self.start).days + 1 > 20 * 366:
            raise ValueError("the period is longer than 20 years; shorten --start/--end")
        weekdays = {(self.start + dt.timedelta(days=i)).weekday()
                    for i in range(min(self.num_days, 7))}
        if not any(self.TRAFFIC.weekday_weights[w] for w in weekdays):
            raise rule(f"TRAFFIC.weekday_weights give every day from {self.start} to "
                       f"{self.end} zero weight; give one of its weekdays a positive weight "
                       "or lengthen the period")
        change = offset_change(zoneinfo.ZoneInfo(self.timezone), self.start, self.end)
        if change is not None:
            day, before, after = change
            raise rule(f"timezone = {json.dumps(self.timezone)} changes its UTC offset on {day} "
                       f"({_utc(before)} to {_utc(after)}), inside the period; ecomgen "
                       f"simulates fixed-offset zones only: use one such as {FIXED_ZONES}")
        return self

    @property
    def num_days(self) -> int:
        """Days simulated, both ends included."""
        return (self.end - self.start).days + 1


@functools.cache
def known_zones() -> frozenset[str]:
    """IANA time zone names of the installed zone database (machine-local aliases left out)."""
    return frozenset(zoneinfo.available_timezones() - {"localtime", "posixrules"})


@functools.cache
def known_zones_lower() -> dict[str, str]:
    """Known zone names by their lower-case spelling."""
    return {name.lower(): name for name in known_zones()}


def offset_change(zone: dt.tzinfo, start: dt.date, end: dt.date
                  ) -> tuple[dt.date, dt.timedelta, dt.timedelta] | None:
    """The first day from ``start`` to ``end`` on which ``zone``'s UTC offset changes, with
    the offsets before and after, or None when the offset is the same all period."""
    def offset(day: dt.date) -> dt.timedelta:
        return dt.datetime.combine(day, dt.time(), zone).utcoffset() or dt.timedelta()

    first = offset(start)
    day = start
    while day <= end:
        after = offset(day + dt.timedelta(days=1))  # the next local midnight
        if after != first:
            return day, first, after
        day += dt.timedelta(days=1)
    return None


def _utc(offset: dt.timedelta) -> str:
    """A UTC offset as UTC+05:30."""
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


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
