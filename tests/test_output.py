"""Atomic output directories, the manifest, and the pipeline around a stand-in simulation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import ecomgen
from ecomgen.config import Config
from ecomgen.errors import UserError
from ecomgen.output import atomic_output, check_target, read_manifest, sha256_file
from ecomgen.pipeline import generate
from ecomgen.schema import TABLES
from ecomgen.settings import build_config


def _cfg() -> Config:
    return build_config("tiny", flags={"end": dt.date(2024, 1, 3)})


def _run(tmp_path: Path, name: str = "out", **kw: Any) -> Any:
    kw.setdefault("validate", False)
    kw.setdefault("report", False)
    return generate(kw.pop("cfg", _cfg()), tmp_path / name, **kw)


def test_atomic_output_renames_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "data"
    with atomic_output(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".data.ecomgen-new-")
        (tmp / "a.txt").write_text("x")
        assert not target.exists()
    assert (target / "a.txt").read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def _fake_output(target: Path, files: dict[str, str]) -> None:
    """A directory that looks like an earlier ecomgen output holding ``files``."""
    target.mkdir()
    for name, text in files.items():
        (target / name).write_text(text)
    manifest = {"ecomgen_version": "0", "files": {n: {} for n in files}}
    (target / "manifest.json").write_text(json.dumps(manifest))


def test_failure_keeps_old_directory(tmp_path: Path) -> None:
    target = tmp_path / "data"
    _fake_output(target, {"old.txt": "old"})
    with pytest.raises(RuntimeError), atomic_output(target, overwrite=True) as tmp:
        (tmp / "new.txt").write_text("new")
        raise RuntimeError("boom")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert sorted(p.name for p in target.iterdir()) == ["manifest.json", "old.txt"]


def test_overwrite_replaces_after_success(tmp_path: Path) -> None:
    target = tmp_path / "data"
    _fake_output(target, {"old.txt": "old"})
    with atomic_output(target, overwrite=True) as tmp:
        (tmp / "new.txt").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_check_target_refuses_non_empty_and_files(tmp_path: Path) -> None:
    _fake_output(tmp_path / "full", {"x": ""})
    with pytest.raises(UserError, match="--overwrite"):
        check_target(tmp_path / "full", overwrite=False)
    check_target(tmp_path / "full", overwrite=True)
    with pytest.raises(UserError, match="not a directory"):
        check_target(tmp_path / "full" / "x", overwrite=True)
    (tmp_path / "full" / "mine.txt").write_text("a user's file")
    with pytest.raises(UserError, match=r"files ecomgen did not write \(mine.txt\)"):
        check_target(tmp_path / "full", overwrite=True)
    (tmp_path / "empty").mkdir()
    check_target(tmp_path / "empty", overwrite=False)
    check_target(tmp_path / "new" / "deeper", overwrite=False)


def test_pipeline_writes_every_table_and_manifest(tmp_path: Path, fake_simulate: Any) -> None:
    result = _run(tmp_path)
    out = tmp_path / "out"
    assert result.outdir == out.resolve()
    names = {p.name for p in out.iterdir()}
    assert names == {f"{t}.csv" for t in TABLES} | {"manifest.json"}
    m = read_manifest(out)
    assert m["seed"] == 42 and m["format"] == "csv" and m["backend"] == "numpy"
    assert m["timezone"] == "Asia/Kolkata"
    assert m["period"] == {"start": "2024-01-01", "end": "2024-01-03", "days": 3}
    assert m["ecomgen_version"] == ecomgen.__version__
    assert Config.model_validate(m["config"]) == _cfg()
    assert set(m["files"]) == {f"{t}.csv" for t in TABLES}
    for fname, entry in m["files"].items():
        assert entry["sha256"] == sha256_file(out / fname)
        assert entry["bytes"] == (out / fname).stat().st_size
    assert m["tables"]["views"]["rows"] == 3 * 40 == result.tables["views"].rows
    assert m["tables"]["ratings"]["rows"] == 0
    assert "timings_seconds" in m["run"]


def test_same_input_same_files_section(tmp_path: Path, fake_simulate: Any) -> None:
    _run(tmp_path, "a")
    _run(tmp_path, "b", threaded_writer=False)
    a, b = read_manifest(tmp_path / "a"), read_manifest(tmp_path / "b")
    assert a["files"] == b["files"]
    assert "manifest.json" not in a["files"]


@pytest.mark.parametrize("threaded", [True, False])
def test_failing_simulation_leaves_nothing(tmp_path: Path, fake_simulate: Any,
                                           threaded: bool) -> None:
    fake_simulate(fail_on_day=1)
    with pytest.raises(RuntimeError, match="simulated failure"):
        _run(tmp_path, threaded_writer=threaded)
    assert list(tmp_path.iterdir()) == []


def test_failing_run_keeps_previous_output(tmp_path: Path, fake_simulate: Any) -> None:
    _run(tmp_path)
    before = json.dumps(read_manifest(tmp_path / "out"))
    fake_simulate(fail_on_day=2)
    with pytest.raises(RuntimeError):
        _run(tmp_path, overwrite=True)
    assert json.dumps(read_manifest(tmp_path / "out")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_bad_batch_fails_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ecomgen.pipeline as pipeline

    def bad_simulate(cfg: Any, backend: Any, emit: Any, progress: Any = None) -> dict:
        emit("views", {"view_id": [1]})
        return {}

    monkeypatch.setattr(pipeline, "_simulate_fn", lambda: bad_simulate)
    with pytest.raises(ValueError, match="missing"):
        _run(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["parquet", "duckdb"])
def test_pipeline_other_formats(tmp_path: Path, fake_simulate: Any, fmt: str) -> None:
    result = _run(tmp_path, fmt=fmt)
    files = set(read_manifest(tmp_path / "out")["files"])
    if fmt == "parquet":
        assert files == {f"{t}.parquet" for t in TABLES}
    else:
        assert files == {"ecomgen.duckdb"}
    assert result.tables["views"].rows == 120


def test_optional_stages_are_skipped_with_a_note(tmp_path: Path, fake_simulate: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import ecomgen.pipeline as pipeline

    monkeypatch.setattr(pipeline, "optional_attr", lambda module, attr: None)
    result = _run(tmp_path, validate=True, report=True)
    assert result.validation is None and result.report_path is None
    assert any("validation skipped" in w for w in result.warnings)
    assert any("report skipped" in w for w in result.warnings)


def test_optional_attr_only_hides_the_missing_module() -> None:
    from ecomgen.pipeline import optional_attr

    assert optional_attr("ecomgen.no_such_module", "x") is None
    assert optional_attr("ecomgen.output", "sha256_file") is sha256_file
