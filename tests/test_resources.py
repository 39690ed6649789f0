"""The memory estimate and the check before any work (ecomgen.resources), with ``--parts``."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomgen.cli import main
from ecomgen.config import Config, preset_overrides
from ecomgen.errors import EnvironmentFault
from ecomgen.pipeline import generate
from ecomgen.resources import (
    LIMIT_ENV,
    MARGIN,
    MIB,
    PART_BYTES,
    check_memory,
    estimate_memory,
)

TINY = Config(**preset_overrides("tiny"))
PARTS = 10_000


def _need(fmt: str, parts: int) -> int:
    """Bytes the check asks for (the estimate with its margin)."""
    return int(estimate_memory(TINY, fmt, parts).total * MARGIN)


@pytest.fixture
def room_for_few_parts(monkeypatch: pytest.MonkeyPatch) -> int:
    """A memory limit the tiny run fits in with 100 parts, not with 10,000 (CSV); its bytes."""
    limit = (_need("csv", 100) + _need("csv", PARTS)) // 2
    monkeypatch.setenv(LIMIT_ENV, str(limit))
    return limit


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_estimate_counts_each_part(fmt: str) -> None:
    """Each part adds its format's fixed cost to the estimate, and no more."""
    one = estimate_memory(TINY, fmt)
    parted = estimate_memory(TINY, fmt, 1_000)
    assert parted.total - one.total == 1_000 * PART_BYTES[fmt]
    assert parted.parts == 1_000 and one.parts == 0
    assert PART_BYTES[fmt] <= 2 * MIB, "a part holds no buffer of its own"


@pytest.mark.usefixtures("room_for_few_parts")
def test_check_refuses_parts_that_would_not_fit() -> None:
    check_memory(TINY, "csv")
    check_memory(TINY, "csv", 100)
    with pytest.raises(EnvironmentFault) as err:
        check_memory(TINY, "csv", PARTS)
    message = str(err.value)
    assert f"{PARTS:,} part files per table" in message
    assert "reduce --parts" in message and LIMIT_ENV in message


@pytest.mark.usefixtures("room_for_few_parts")
def test_generate_refuses_parts_that_would_not_fit_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentFault, match="part files per table"):
        generate(TINY, tmp_path / "out", parts=PARTS, validate=False, report=False,
                 progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("room_for_few_parts")
def test_cli_refuses_parts_that_would_not_fit_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["generate", "--preset", "tiny", "--parts", str(PARTS),
                 "--outdir", str(out)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "this run needs about" in err and "part files" in err
    assert not out.exists()
