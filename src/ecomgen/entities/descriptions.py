"""Product descriptions: category-specific attribute/value pairs in long format.

Provenance: the attributes and their values were written for ecomgen; person-valued
attributes draw from the en_IN names vendored in :mod:`ecomgen.entities.locale_en_in`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from ecomgen.config import Config
from ecomgen.entities import vocabulary as voc
from ecomgen.entities.products import Products
from ecomgen.rng import Rng, to_numpy
from ecomgen.schema import Cat

Batch = dict[str, Any]


@dataclass(frozen=True)
class Span:
    """Integer values lo, lo + step, ..., up to hi (inclusive)."""

    lo: int
    hi: int
    step: int = 1


#: Special value sources: the product's own brand, or a person's name.
BRAND = "<brand>"
PERSON = "<person>"

Values = tuple[str, ...] | Span | str
#: Attribute -> values, either for the whole category or keyed by subcategory ("*" for the
#: rest; a subcategory with no entry and no "*" gets no row). Repeated values weight a
#: choice; every listed value is equally likely otherwise.
Spec = dict[str, Values | Mapping[str, Values | None]]

YES_NO_MOSTLY_YES = ("yes",) * 9 + ("no",)
COLOURS = ("Black", "White", "Blue", "Navy Blue", "Red", "Green", "Grey", "Beige", "Maroon",
           "Pink", "Yellow", "Olive", "Brown", "Multicolour")
DEVICE_COLOURS = ("Black", "Black", "Midnight Black", "Silver", "Blue", "White", "Graphite",
                  "Green", "Gold", "Purple")
CLOTHES = ("Men's Clothing", "Women's Clothing", "Ethnic Wear", "Kids' Clothing")

ATTRIBUTES: dict[str, Spec] = {
    "Electronics": {
        "brand_warranty_months": ("6", "12", "12", "12", "12", "24"),
        "ram_gb": {"Mobiles": ("4", "6", "8", "8", "12"), "Laptops": ("8", "16", "16", "32"),
                   "Tablets": ("3", "4", "6", "8")},
        "storage_gb": {"Mobiles": ("64", "128", "128", "256", "512"),
                       "Laptops": ("256", "512", "512", "1024"),
                       "Tablets": ("32", "64", "128", "256")},
        "screen_inches": {"Mobiles": ("6.1", "6.4", "6.5", "6.67", "6.7", "6.8"),
                          "Laptops": ("13.3", "14", "14", "15.6", "15.6", "16"),
                          "Televisions": ("32", "32", "43", "43", "50", "55", "65", "75"),
                          "Tablets": ("8.7", "10.1", "10.9", "11", "12.4"),
                          "Smartwatches": ("1.39", "1.43", "1.69", "1.83", "1.96")},
        "battery_mah": {"Mobiles": ("4500", "5000", "5000", "5500", "6000"),
                        "Tablets": ("5100", "7040", "8000", "10090"),
                        "Smartwatches": ("250", "280", "300", "450"),
                        "Headphones": ("40", "60", "300", "500", "800")},
        "colour": DEVICE_COLOURS,
    },
    "Fashion": {
        "size": {"Men's Clothing": ("S", "M", "L", "L", "XL", "XL", "XXL"),
                 "Women's Clothing": ("XS", "S", "M", "M", "L", "XL"),
                 "Ethnic Wear": ("S", "M", "L", "XL", "XXL"),
                 "Kids' Clothing": ("2-3Y", "4-5Y", "6-7Y", "8-9Y", "10-11Y", "12-13Y"),
                 "Footwear": ("UK 5", "UK 6", "UK 7", "UK 8", "UK 8", "UK 9", "UK 10",
                              "UK 11"),
                 "*": ("Free Size",)},
        "colour": COLOURS,
        "material": {"Footwear": ("Synthetic Leather", "Genuine Leather", "Mesh", "Canvas",
                                  "EVA"),
                     "Watches": ("Stainless Steel", "Leather Strap", "Silicone Strap"),
                     "Bags": ("PU Leather", "Canvas", "Nylon", "Polyester"),
                     "*": ("Cotton", "Cotton", "Cotton Blend", "Polyester", "Linen",
                           "Viscose Rayon", "Denim", "Silk", "Georgette")},
        "fit": {c: ("Regular", "Regular", "Slim", "Relaxed", "Oversized") for c in CLOTHES},
        "occasion": ("Casual", "Casual", "Daily Wear", "Formal", "Party", "Festive", "Sports"),
    },
    "Home": {
        "material": {"Kitchen": ("Stainless Steel", "Aluminium", "Glass", "Plastic",
                                 "Cast Iron"),
                     "Furniture": ("Engineered Wood", "Sheesham Wood", "Metal", "Plastic"),
                     "Decor": ("Ceramic", "Glass", "Metal", "Wood", "Resin"),
                     "Bedding": ("Cotton", "Cotton", "Microfibre", "Polyester", "Silk"),
                     "Appliances": ("Plastic", "Stainless Steel", "ABS"),
                     "*": ("Plastic", "Metal", "Fabric", "Wood")},
        "colour": COLOURS,
        "dimensions_cm": ("20 x 15 x 10", "30 x 20 x 15", "35 x 25 x 20", "45 x 30 x 25",
                          "60 x 40 x 30", "90 x 45 x 75", "120 x 60 x 75", "180 x 90 x 45",
                          "200 x 150 x 5", "228 x 254 x 1"),
        "warranty_months": ("0", "6", "12", "12", "24", "60"),
    },
    "Beauty": {
        "skin_type": {"Haircare": None, "Fragrance": None,
                      "*": ("All", "All", "Oily", "Dry", "Combination", "Sensitive",
                            "Normal")},
        "hair_type": {"Haircare": ("All", "All", "Dry", "Oily", "Curly", "Frizzy")},
        "volume_ml": {"Fragrance": ("30", "50", "100", "100"),
                      "Makeup": ("5", "10", "15", "30"),
                      "*": ("50", "100", "100", "150", "200", "250", "400")},
        "shelf_life_months": ("12", "18", "24", "24", "36"),
    },
    "Grocery": {
        "weight_g": {"Beverages": None,
                     "*": ("100", "200", "250", "500", "500", "1000", "1000", "2000", "5000")},
        "volume_ml": {"Beverages": ("200", "250", "500", "600", "1000", "1250", "2000")},
        "shelf_life_days": {"Dairy": ("2", "3", "7", "14", "30", "180"),
                            "Snacks": ("90", "120", "180", "270"),
                            "Personal Care": ("365", "730", "1095"),
                            "Household": ("730", "1095"),
                            "*": ("180", "270", "365")},
        "veg": {"Personal Care": None, "Household": None, "*": YES_NO_MOSTLY_YES},
        "pack_of": ("1", "1", "1", "1", "2", "3", "4", "6", "12"),
    },
    "Books": {
        "author": PERSON,
        "language": ("English",) * 12 + ("Hindi",) * 4 + ("Tamil", "Telugu", "Bengali",
                                                            "Marathi", "Malayalam",
                                                            "Kannada", "Gujarati"),
        "pages": {"Children": Span(24, 120, 4), "Comics": Span(32, 200, 8),
                  "*": Span(120, 900, 8)},
        "format": ("paperback",) * 6 + ("hardcover",) * 2 + ("ebook",),
        "publisher": BRAND,
    },
    "Sports": {
        "material": {"Cricket": ("English Willow", "Kashmir Willow", "Leather", "Rubber"),
                     "Cycling": ("Steel", "Aluminium", "Alloy", "Carbon Fibre"),
                     "Fitness": ("Rubber", "PVC", "Cast Iron", "Neoprene", "EVA Foam"),
                     "Outdoor": ("Nylon", "Polyester", "Aluminium", "Ripstop Nylon"),
                     "*": ("Polyester", "Dri-Fit Polyester", "Cotton Blend", "Spandex")},
        "size": {"Sportswear": ("S", "M", "L", "L", "XL", "XXL"),
                 "Cricket": ("Size 4", "Size 5", "Size 6", "Short Handle", "Long Handle"),
                 "Cycling": ("24 in", "26 in", "27.5 in", "29 in"),
                 "*": ("Free Size", "Standard")},
        "weight_g": {"Fitness": ("500", "1000", "2000", "5000", "10000"),
                     "Cricket": ("156", "1100", "1180", "1200", "1250"),
                     "*": Span(150, 2500, 50)},
    },
    "Toys": {
        "age_group": ("0-2 years", "3-5 years", "3-5 years", "6-8 years", "6-8 years",
                      "8-12 years", "12+ years"),
        "material": {"Soft Toys": ("Plush", "Polyester Fibre"),
                     "*": ("Plastic", "ABS Plastic", "Wood", "Cardboard", "Metal")},
        "battery_required": {"Remote Control": ("yes",), "Soft Toys": ("no",),
                             "*": ("no", "no", "no", "yes")},
    },
}

#: Attributes of a category not described above (a scenario's own category).
DEFAULT_ATTRIBUTES: Spec = {
    "colour": COLOURS,
    "material": ("Plastic", "Metal", "Wood", "Fabric", "Glass"),
    "warranty_months": ("0", "6", "12", "24"),
}


def attribute_labels(cfg: Config) -> tuple[str, ...]:
    """Attribute names of the configured categories, in first-use order."""
    return tuple(dict.fromkeys(a for c in cfg.CATEGORIES
                               for a in ATTRIBUTES.get(c, DEFAULT_ATTRIBUTES)))


def make_descriptions(cfg: Config, rng: Rng, products: Products) -> Batch:
    """Long-format attributes: one row per (product, attribute), sorted by both."""
    labels = attribute_labels(cfg)
    sub_h = to_numpy(products.subcategory)
    brand_h = to_numpy(products.brand)
    parts: list[pl.DataFrame] = []
    for c, cat in enumerate(cfg.CATEGORIES):
        lo, hi = int(products.cat_start[c]), int(products.cat_start[c + 1])
        if hi == lo:
            continue
        idx = np.arange(lo, hi, dtype=np.int64)
        subs = list(dict.fromkeys(cfg.CATEGORIES[cat].subcategories))
        for attr, spec in ATTRIBUTES.get(cat, DEFAULT_ATTRIBUTES).items():
            code = labels.index(attr)
            for group, values, rows in _groups(spec, subs, idx, sub_h[lo:hi], products):
                if rows.size == 0 or values is None:
                    continue
                # One stream per value list: a subcategory's own values get their own name.
                name = f"descriptions.{cat}.{attr}" + ("" if group == "*" else f".{group}")
                text = _draw(rng, name, values, rows, brand_h, products.brand_labels)
                parts.append(pl.DataFrame({"row": rows, "attribute": np.full(
                    rows.size, code, dtype=np.int64), "value": text}))
    if parts:
        frame = pl.concat(parts).sort(["row", "attribute"])
    else:
        frame = pl.DataFrame({"row": [], "attribute": [], "value": []},
                             schema={"row": pl.Int64, "attribute": pl.Int64,
                                     "value": pl.String})
    product_id = frame["row"].to_numpy() + 1
    return {
        "product_id": product_id,
        "sku": product_id.copy(),
        "attribute": Cat(frame["attribute"].to_numpy(), labels),
        "value": frame["value"].alias("value"),
    }


def _groups(spec: Any, subs: list[str], idx: np.ndarray, sub_codes: np.ndarray,
            products: Products) -> list[tuple[str, Any, np.ndarray]]:
    """(group, values, product indices) per subcategory group of one attribute.

    The group is the subcategory with values of its own, or "*" for the rest.
    """
    if not isinstance(spec, Mapping):
        return [("*", spec, idx)]
    out: list[tuple[str, Any, np.ndarray]] = []
    rest = np.ones(idx.size, dtype=bool)
    for sub in subs:
        if sub in spec:
            hit = sub_codes == products.subcategory_labels.index(sub)
            out.append((sub, spec[sub], idx[hit]))
            rest &= ~hit
    if "*" in spec:
        out.append(("*", spec["*"], idx[rest]))
    return out


def _draw(rng: Rng, name: str, values: Values, rows: np.ndarray, brand: np.ndarray,
          brand_labels: tuple[str, ...]) -> pl.Series:
    """Value strings for the product indices ``rows``, keyed by product index."""
    xp = rng.xp
    keys = xp.asarray(rows)
    if isinstance(values, Span):
        k = (values.hi - values.lo) // values.step + 1
        n = to_numpy(rng.stream(name).integers(0, k, keys)) * values.step + values.lo
        return pl.Series("value", n).cast(pl.String)
    if values == BRAND:
        return voc.take(brand_labels, brand[rows], "value")
    if values == PERSON:
        firsts, lasts = voc.first_names(), voc.last_names()
        f = to_numpy(rng.stream(name + ".first").integers(0, len(firsts), keys))
        last = to_numpy(rng.stream(name + ".last").integers(0, len(lasts), keys))
        frame = pl.DataFrame({"f": voc.take(firsts, f), "l": voc.take(lasts, last)})
        return frame.select(pl.concat_str([pl.col("f"), pl.lit(" "), pl.col("l")])
                            .alias("value")).to_series()
    codes = to_numpy(rng.stream(name).integers(0, len(values), keys))
    return voc.take(values, codes, "value")
