"""Names: the commonest lead nationally, regional family names live in their region,
Western given names are rare."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ecomgen.config import Config
from ecomgen.entities import locale_en_in
from ecomgen.entities import names as sn
from ecomgen.entities import vocabulary as voc
from ecomgen.entities.customers import make_customers
from ecomgen.rng import Rng
from ecomgen.schema import Cat


def test_every_listed_name_is_vendored_and_every_state_has_a_region() -> None:
    vendored = set(locale_en_in.LAST_NAMES)
    listed = [n for names in sn.REGION_NAMES.values() for n in names] + list(sn.COMMON)
    assert [n for n in listed if n not in vendored] == []
    assert set(sn.REGION_NAMES) == set(sn.REGIONS)
    assert sn.region_of_states(voc.states()).shape == (len(voc.states()),)


def test_weights_favour_home_names() -> None:
    names = locale_en_in.LAST_NAMES
    w = sn.region_weights(names, sn.national_order(names, np.arange(len(names))), 0.5)
    bengal, tamil = sn.REGIONS.index("bengal"), sn.REGIONS.index("tamil")
    banerjee, iyer = names.index("Banerjee"), names.index("Iyer")
    assert w[bengal, banerjee] / w[tamil, banerjee] == pytest.approx(
        sn.HOME_FACTOR / sn.AWAY_FACTOR)
    assert w[tamil, iyer] > w[tamil, banerjee] and w[bengal, banerjee] > w[bengal, iyer]


@pytest.fixture(scope="module")
def customers() -> pl.DataFrame:
    cfg = Config(num_customers=40_000, seed=3)
    t = make_customers(cfg, Rng(np, cfg.seed, cfg.chunk_size)).table
    return pl.DataFrame({k: (np.asarray(v.labels, dtype=object)[v.codes]
                             if isinstance(v, Cat) else v)
                         for k, v in t.items() if k in ("state", "last_name", "first_name")})


def _share(df: pl.DataFrame, state: str, names: list[str]) -> float:
    s = df.filter(pl.col("state") == state)["last_name"]
    return float(s.is_in(names).mean())


def test_regional_names_are_common_at_home_and_rare_away(customers: pl.DataFrame) -> None:
    bengali = ["Banerjee", "Chatterjee", "Mukherjee", "Ghosh", "Bose"]
    tamil = ["Iyer", "Iyengar", "Krishnan", "Subramanian", "Ramaswamy"]
    assert _share(customers, "West Bengal", bengali) > 8 * _share(customers, "Tamil Nadu",
                                                                     bengali)
    assert _share(customers, "Tamil Nadu", tamil) > 8 * _share(customers, "West Bengal", tamil)


def test_the_commonest_names_lead_nationally(customers: pl.DataFrame) -> None:
    top = customers["last_name"].value_counts(sort=True)["last_name"].head(5).to_list()
    assert {"Singh", "Sharma", "Kumar"} <= set(top)


def test_common_given_names_lead_and_western_names_are_rare(customers: pl.DataFrame) -> None:
    top = customers["first_name"].value_counts(sort=True)["first_name"].head(10).to_list()
    assert {"Priya", "Arjun"} <= set(top)
    assert customers["first_name"].is_in(list(sn.WESTERN_GIVEN)).mean() < 0.02
    assert set(sn.COMMON_GIVEN) <= set(locale_en_in.FIRST_NAMES)
    assert set(locale_en_in.FIRST_NAMES) >= sn.WESTERN_GIVEN
