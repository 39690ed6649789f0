"""Command line: bad input, config show, and end-to-end runs of the real simulation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from ecomgen.cli import main
from ecomgen.config import Config
from ecomgen.output import read_manifest
from ecomgen.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--no-validation", "--no-report", "--quiet"]


def _listing(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


BAD_INPUT = [
    (["--num-customers", "0"], "--num-customers must be a positive whole number"),
    (["--num-products", "-5"], "--num-products must be a positive whole number"),
    (["--num-merchants", "abc"], "--num-merchants"),
    (["--avg-views-per-day", "0"], "--avg-views-per-day"),
    (["--start", "2024-02-30"], "--start '2024-02-30' is not a valid date"),
    (["--end", "yesterday"], "--end 'yesterday' is not a valid date"),
    (["--start", "2024-05-01", "--end", "2024-04-01"], "--end 2024-04-01 is before --start"),
    (["--preset", "XXL"], "--preset 'XXL' is unknown"),
    (["--format", "xml"], "--format"),
    (["--config", "missing.toml"], "no such file"),
    (["--config", "bad.toml"], "invalid TOML"),
    (["--config", "unknown.toml"], "did you mean damage_rate?"),
    (["--outdir", "full"], "replaces only a directory it wrote itself"),
    (["--outdir", "full", "--overwrite"], "holds no ecomgen manifest (keep.txt)"),
    (["--outdir", "."], "is the current directory"),
    (["--outdir", ""], "--outdir is empty"),
    (["--outdir", "..", "--overwrite"], "is the current directory or one above it"),
    (["--outdir", "~", "--overwrite"], "is the home directory"),
    (["--outdir", "x" * 250], "is too long"),
    (["--use-gpu", "--no-gpu"], "contradict"),
    (["--workers", "0"], "--workers must be a positive whole number or auto"),
    (["--workers", "many"], "--workers 'many' is not a number"),
    (["--outdir", "afile"], "is not a directory"),
    (["--seed", "-1"], "--seed"),
    (["--no-such-flag"], "No such option"),
    (["--no-validation", "--validate-data"], "contradict"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_one_line_exit_2_nothing_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text("[INVENTORY_CONFIG\n")
    (tmp_path / "unknown.toml").write_text("[INVENTORY_CONFIG]\ndamage_rat = 0.1\n")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("keep")
    (tmp_path / "afile").write_text("")
    before = _listing(tmp_path)
    assert main(["--preset", "tiny", *args], default_generate=True) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ecomgen: error: "), err
    assert message in err
    assert "Traceback" not in err
    assert _listing(tmp_path) == before


def test_unwritable_outdir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.name != "posix":
        pytest.skip("POSIX paths")
    assert main(["generate", "--preset", "tiny", "--outdir", "/proc/ecomgen-out"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot create" in err, err


def test_subcommands_report_bad_directories(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    for cmd in ("validate", "profile", "report", "verify"):
        assert main([cmd, str(tmp_path / "nope")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "not a directory" in err


def test_config_show_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "c.toml").write_text("seed = 9\n[INVENTORY_CONFIG]\ndamage_rate = 0.004\n")
    assert main(["config", "show", "--preset", "S", "--config", str(tmp_path / "c.toml")]) == 0
    text = capsys.readouterr().out
    cfg = Config.model_validate(tomllib.loads(text))
    assert cfg.seed == 9 and cfg.INVENTORY_CONFIG.damage_rate == 0.004
    assert cfg.num_customers == 10_000
    (tmp_path / "shown.toml").write_text(text)
    assert main(["config", "show", "--config", str(tmp_path / "shown.toml")]) == 0
    assert capsys.readouterr().out == text


def test_help_shows_flags_choices_and_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "<bool>" not in text, "flags take no value placeholder"
    assert "--use-gpu / --no-gpu" in text
    assert "<csv|parquet|duckdb>" in text and "[tiny|S|M|L|XL]" in text
    for default in ("[default: ./ecommerce_data]", "[default: csv]", "[default: no-gpu]",
                    "[default: 42]", "[default: 1000, or the preset's]"):
        assert default in text, default
    assert "2000-01-01 to 2099-12-31" in text


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("ecomgen ")
    assert main(["generate", "--help"]) == 0
    assert "--num-customers" in capsys.readouterr().out


# ------------------------------------------------------------------ end to end (real engine)
def _gen(tmp_path: Path, name: str, *args: str) -> dict[str, Any]:
    rc = main(["generate", "--preset", "tiny", "--outdir", str(tmp_path / name), *FAST, *args])
    assert rc == 0
    return read_manifest(tmp_path / name)


def _data_hashes(manifest: dict[str, Any]) -> dict[str, str]:
    return {name: entry["sha256"] for name, entry in manifest["files"].items()}


def test_same_seed_same_bytes_any_chunk_size(tmp_path: Path) -> None:
    a = _gen(tmp_path, "a")
    b = _gen(tmp_path, "b")
    (tmp_path / "chunk.toml").write_text("chunk_size = 1000\n")
    c = _gen(tmp_path, "c", "--config", str(tmp_path / "chunk.toml"))
    assert c["config"]["chunk_size"] == 1000
    assert set(a["files"]) == {f"{t}.csv" for t in TABLES}
    assert _data_hashes(a) == _data_hashes(b) == _data_hashes(c)
    assert a["tables"]["views"]["rows"] > 0


def test_different_seed_different_bytes(tmp_path: Path) -> None:
    a = _data_hashes(_gen(tmp_path, "a", "--seed", "1"))
    b = _data_hashes(_gen(tmp_path, "b", "--seed", "2"))
    assert a["views.csv"] != b["views.csv"]
    assert a["customers.csv"] != b["customers.csv"]


def test_parquet_matches_csv_and_is_deterministic(tmp_path: Path) -> None:
    import polars as pl

    p1 = _gen(tmp_path, "p1", "--format", "parquet")
    p2 = _gen(tmp_path, "p2", "--format", "parquet")
    assert _data_hashes(p1) == _data_hashes(p2)
    _gen(tmp_path, "c", "--format", "csv")
    for table in ("views", "sales", "offers"):
        pq = pl.read_parquet(tmp_path / "p1" / f"{table}.parquet")
        csv = pl.read_csv(tmp_path / "c" / f"{table}.csv", try_parse_dates=True,
                          schema_overrides={n: pl.String for n in pq.columns
                                            if pq[n].dtype == pl.String})
        assert pq.height == csv.height == p1["tables"][table]["rows"]
        assert pq.columns == csv.columns


def test_duckdb_output_loads_and_is_deterministic(tmp_path: Path) -> None:
    import duckdb

    m = _gen(tmp_path, "d", "--format", "duckdb")
    con = duckdb.connect(str(tmp_path / "d" / "ecomgen.duckdb"), read_only=True)
    for table in TABLES:
        assert con.sql(f"select count(*) from {table}").fetchall() == \
            [(m["tables"][table]["rows"],)]
    con.close()
    again = _gen(tmp_path, "d2", "--format", "duckdb")
    assert _data_hashes(m) == _data_hashes(again)


def test_formats_share_content_digests_and_verify(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real engine's CSV, Parquet and DuckDB output: one digest per table, all verify."""
    digests = {}
    for fmt in ("csv", "parquet", "duckdb"):
        m = _gen(tmp_path, fmt, "--format", fmt)
        digests[fmt] = {t: e["content_digest"] for t, e in m["tables"].items()}
        assert main(["verify", str(tmp_path / fmt)]) == 0
    assert digests["csv"] == digests["parquet"] == digests["duckdb"]
    assert all(d.startswith(f"rows={m['tables'][t]['rows']};") for t, d in digests["csv"].items())
    out = capsys.readouterr().out
    assert out.count("verified: 18 tables") == 3


def test_validate_profile_report_commands(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _gen(tmp_path, "t")
    out = tmp_path / "t"
    rc = main(["validate", str(out)])
    assert rc in (0, 1)
    assert (out / "validation_report.json").exists()
    report = json.loads((out / "validation_report.json").read_text())
    assert rc == (0 if report["passed"] else 1)
    capsys.readouterr()
    assert main(["profile", str(out), "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), dict)
    assert main(["report", str(out)]) == 0
    assert (out / "report.html").exists()


def test_specification_command_line(tmp_path: Path) -> None:
    """``make demo``'s command line, as a user runs it."""
    out = tmp_path / "ecommerce_data"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--num-customers", "1000", "--num-products",
         "500", "--no-gpu", "--outdir", str(out), "--overwrite"],
        capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    m = read_manifest(out)
    assert m["config"]["num_customers"] == 1000 and m["config"]["num_products"] == 500
    assert m["tables"]["views"]["rows"] > 100_000
    assert (out / "validation_report.json").exists()
    assert (out / "report.html").exists()
