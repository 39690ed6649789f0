"""Effective configuration: presets, TOML overrides, flags, error messages, TOML output."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgen.config import PRESETS, Config
from ecomgen.errors import UserError
from ecomgen.settings import build_config, config_to_toml, deep_merge


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cfg.toml"
    path.write_text(text)
    return path


def test_defaults_and_preset() -> None:
    assert build_config() == Config()
    tiny = build_config("tiny")
    assert tiny.num_customers == PRESETS["tiny"]["num_customers"]
    assert tiny.num_days == PRESETS["tiny"]["days"]


def test_layering_order(tmp_path: Path) -> None:
    path = _toml(tmp_path, "seed = 7\nnum_customers = 300\nstart = 2023-03-01\n"
                           "[INVENTORY_CONFIG]\ndamage_rate = 0.001\n"
                           "[CUSTOMER_SEGMENTS.premium]\nconversion_base = 0.05\n")
    cfg = build_config("tiny", path, {"num_customers": 123, "seed": None})
    assert cfg.seed == 7  # TOML over default; a None flag is "not given"
    assert cfg.num_customers == 123  # flag over TOML
    assert cfg.num_products == PRESETS["tiny"]["num_products"]  # preset kept
    assert cfg.start == dt.date(2023, 3, 1)
    assert cfg.end == dt.date(2023, 3, 30)  # preset length from the TOML's start
    assert cfg.INVENTORY_CONFIG.damage_rate == 0.001
    assert cfg.INVENTORY_CONFIG.restock_probability == 0.15  # sibling keys kept
    assert cfg.CUSTOMER_SEGMENTS["premium"].conversion_base == 0.05
    assert cfg.CUSTOMER_SEGMENTS["premium"].weight == 0.20


@pytest.mark.parametrize(("text", "message"), [
    ("[INVENTORY_CONFIG]\ndamage_rat = 0.1\n",
     "config: unknown key INVENTORY_CONFIG.damage_rat — did you mean damage_rate?"),
    ("[CUSTOMER_SEGMENTS.premium]\nweigth = 0.2\n",
     "config: unknown key CUSTOMER_SEGMENTS.premium.weigth — did you mean weight?"),
    ("num_customer = 5\n", "config: unknown key num_customer — did you mean num_customers?"),
    ("[INVENTORY_CONFIG]\ndamage_rate = 1.5\n",
     "config: INVENTORY_CONFIG.damage_rate = 1.5 is out of range (must be <= 1"),
    ("seed = -3\n", "config: seed = -3 is out of range (must be >= 0)"),
    ("[CUSTOMER_SEGMENTS.premium]\nweight = 0.25\n",
     "config: CUSTOMER_SEGMENTS weights sum to 1.0500; they must sum to 1"),
    ("num_customers = \"many\"\n", "config: num_customers = \"many\" is invalid"),
    ("[INVENTORY_CONFIG\n", "invalid TOML"),
])
def test_errors_are_one_line_with_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UserError) as info:
        build_config(config_file=_toml(tmp_path, text))
    assert message in info.value.message
    assert "\n" not in info.value.message


def test_invalid_toml_names_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"line 2, column"):
        build_config(config_file=_toml(tmp_path, "seed = 1\nx = = 2\n"))


def test_missing_file_and_unknown_preset(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        build_config(config_file=tmp_path / "nope.toml")
    with pytest.raises(UserError, match="use one of tiny, S, M, L, XL"):
        build_config("XXL")


def test_flag_errors_name_the_flag() -> None:
    with pytest.raises(UserError, match="^--num-customers 0 is out of range"):
        build_config(flags={"num_customers": 0})


def test_deep_merge() -> None:
    base = {"a": {"b": 1, "c": 2}, "d": [1, 2]}
    assert deep_merge(base, {"a": {"b": 5}, "d": [3]}) == {"a": {"b": 5, "c": 2}, "d": [3]}
    assert base == {"a": {"b": 1, "c": 2}, "d": [1, 2]}


@pytest.mark.parametrize("preset", [None, *PRESETS])
def test_toml_round_trip(tmp_path: Path, preset: str | None) -> None:
    cfg = build_config(preset)
    text = config_to_toml(cfg)
    assert Config.model_validate(tomllib.loads(text)) == cfg
    assert build_config(config_file=_toml(tmp_path, text)) == cfg


@given(seed=st.integers(0, 2**63 - 1), damage=st.floats(0, 1),
       hours=st.lists(st.floats(0, 100), min_size=24, max_size=24).filter(
           lambda h: sum(h) > 0))  # a profile without any weight is refused
@settings(max_examples=30, deadline=None)
def test_toml_round_trip_of_changed_values(seed: int, damage: float, hours: list[float]) -> None:
    cfg = Config().model_copy(deep=True)
    cfg.seed = seed
    cfg.INVENTORY_CONFIG.damage_rate = damage
    cfg.TRAFFIC.hourly_weights = hours
    assert Config.model_validate(tomllib.loads(config_to_toml(cfg))) == cfg
