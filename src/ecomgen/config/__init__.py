"""Configuration: strict pydantic models whose defaults are the specification's config.

- ``rules``: the error type, number types and the date, zone and name rules every section
  uses;
- ``sections``: the models of each part of the configuration;
- ``catalogue``: the default data (categories, segments, devices, the sales calendar ...);
- ``model``: the root ``Config`` and the rules that span sections;
- ``presets``: the size presets.
"""

from ecomgen.config.model import Config
from ecomgen.config.presets import PRESETS, Preset, preset_overrides
from ecomgen.config.rules import (
    FIRST_DATE,
    LAST_DATE,
    MAX_WRAP_DAYS,
    RULE,
    ReturnReason,
    month_day_problem,
    wrap_days,
)
from ecomgen.config.sections import (
    AgeGroup,
    Category,
    Courier,
    Device,
    Fulfilment,
    Gender,
    GpuConfig,
    InventoryConfig,
    Lifecycle,
    MerchantType,
    PaymentMethod,
    Ratings,
    SaleEvent,
    Segment,
    SessionType,
    Subcategory,
    Traffic,
    Variant,
)

__all__ = [
    "FIRST_DATE", "LAST_DATE", "MAX_WRAP_DAYS", "PRESETS", "RULE", "AgeGroup", "Category",
    "Config", "Courier", "Device", "Fulfilment", "Gender", "GpuConfig", "InventoryConfig",
    "Lifecycle", "MerchantType", "PaymentMethod", "Preset", "Ratings", "ReturnReason",
    "SaleEvent", "Segment", "SessionType", "Subcategory", "Traffic", "Variant",
    "month_day_problem", "preset_overrides", "wrap_days",
]
