"""The root configuration (``Config``): every section with its defaults, and the rules that
span sections."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import zoneinfo

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from ecomgen.config.catalogue import (
    _ages,
    _calendar,
    _cats,
    _devices,
    _genders,
    _merchant_types,
    _payments,
    _segments,
    _session_types,
)
from ecomgen.config.rules import (
    FIRST_DATE,
    FIXED_ZONES,
    LAST_DATE,
    Int,
    Strict,
    _all_zero,
    _utc,
    known_zones,
    known_zones_lower,
    offset_change,
    rule,
)
from ecomgen.config.sections import (
    AgeGroup,
    Category,
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
    Traffic,
)
from ecomgen.entities import vocabulary as voc


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
