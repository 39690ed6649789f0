"""``ecomgen verify``: a run verifies in every format; each kind of damage is reported on the
right table's line with exit 1; a directory without a manifest exits 2."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ecomgen.cli import main
from ecomgen.output import read_manifest
from ecomgen.pipeline import generate
from ecomgen.schema import TABLES
from ecomgen.settings import build_config
from ecomgen.verify import verify_dir


def _run(tmp_path: Path, fmt: str, name: str | None = None) -> Path:
    out = tmp_path / (name or fmt)
    generate(build_config("tiny", flags={"end": dt.date(2024, 1, 3)}), out, fmt=fmt,
             validate=False, report=False, progress=False)
    return out


def _verify(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, str], str]:
    """Exit status, {table or file: its line's status}, the verdict line."""
    capsys.readouterr()
    rc = main(["verify", str(path)])
    out = capsys.readouterr().out.strip().splitlines()
    lines = {line.split(None, 1)[0]: line.split(None, 1)[1] for line in out[:-1]}
    return rc, lines, out[-1]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "duckdb"])
def test_a_run_verifies(tmp_path: Path, fake_simulate: Any, fmt: str,
                        capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, fmt)
    rc, lines, verdict = _verify(out, capsys)
    assert rc == 0, lines
    assert set(TABLES) <= set(lines)
    assert all(status == "ok" for status in lines.values())
    assert verdict.startswith("verified: 18 tables")
    m = read_manifest(out)
    assert m["content_digest_scheme"] == "ecomgen-content-v1"
    assert m["tables"]["views"]["content_digest"].startswith("rows=120;sum128=")
    assert m["tables"]["ratings"]["content_digest"] == "rows=0;sum128=" + "0" * 32


def test_digests_equal_across_formats(tmp_path: Path, fake_simulate: Any) -> None:
    digests = {}
    for fmt in ("csv", "parquet", "duckdb"):
        m = read_manifest(_run(tmp_path, fmt))
        digests[fmt] = {t: e["content_digest"] for t, e in m["tables"].items()}
    assert digests["csv"] == digests["parquet"] == digests["duckdb"]
    assert len({d for d in digests["csv"].values()}) == len(TABLES)


# ------------------------------------------------------------------ damage, one kind at a time

def _lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _failed_only(lines: dict[str, str], table: str) -> str:
    bad = {k: v for k, v in lines.items() if v != "ok"}
    assert set(bad) == {table}, bad
    return bad[table]


def test_edited_cell(tmp_path: Path, fake_simulate: Any,
                     capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, "csv")
    f = out / "sales.csv"
    rows = _lines_of(f)
    cells = rows[5].split(b",")
    cells[8] = str(int(cells[8]) + 1).encode()  # quantity
    rows[5] = b",".join(cells)
    f.write_bytes(b"".join(rows))
    rc, lines, verdict = _verify(out, capsys)
    assert rc == 1 and verdict.startswith("verification FAILED: 1 of 18 tables")
    status = _failed_only(lines, "sales")
    assert "content differs" in status and "file checksum differs" in status


def test_deleted_row(tmp_path: Path, fake_simulate: Any,
                     capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, "csv")
    f = out / "views.csv"
    rows = _lines_of(f)
    f.write_bytes(b"".join(rows[:10] + rows[11:]))
    rc, lines, _ = _verify(out, capsys)
    assert rc == 1
    status = _failed_only(lines, "views")
    assert "rows 119 vs 120 recorded" in status and "content differs" in status


def test_swapped_rows_keep_the_content(tmp_path: Path, fake_simulate: Any,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, "csv")
    f = out / "cart_events.csv"
    rows = _lines_of(f)
    rows[3], rows[7] = rows[7], rows[3]
    f.write_bytes(b"".join(rows))
    rc, lines, _ = _verify(out, capsys)
    assert rc == 1
    status = _failed_only(lines, "cart_events")
    assert "file checksum differs" in status and "content matches" in status
    assert "content differs" not in status


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_truncated_file(tmp_path: Path, fake_simulate: Any, fmt: str,
                        capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, fmt)
    f = out / f"offers.{fmt}"
    data = f.read_bytes()
    f.write_bytes(data[: len(data) * 2 // 3])
    rc, lines, _ = _verify(out, capsys)
    assert rc == 1
    status = _failed_only(lines, "offers")
    assert "file checksum differs" in status
    assert "unreadable: " in status or "rows " in status


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_garbage_bytes(tmp_path: Path, fake_simulate: Any, fmt: str,
                       capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, fmt)
    f = out / f"browsing_sessions.{fmt}"
    data = bytearray(f.read_bytes())
    mid = len(data) // 2
    data[mid:mid + 64] = bytes(range(200, 255)) + b"\x00" * 9
    f.write_bytes(bytes(data))
    rc, lines, _ = _verify(out, capsys)
    assert rc == 1
    status = _failed_only(lines, "browsing_sessions")
    assert "file checksum differs" in status
    assert "content differs" in status or "unreadable: " in status or "rows " in status


@pytest.mark.parametrize("fmt", ["csv", "parquet", "duckdb"])
def test_missing_file(tmp_path: Path, fake_simulate: Any, fmt: str,
                      capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, fmt)
    victim = "ecomgen.duckdb" if fmt == "duckdb" else f"products.{fmt}"
    (out / victim).unlink()
    rc, lines, _ = _verify(out, capsys)
    assert rc == 1
    if fmt == "duckdb":
        assert all("file missing" in lines[t] for t in TABLES)
        assert lines["ecomgen.duckdb"] == "FAILED: file missing"
    else:
        assert _failed_only(lines, "products") == f"FAILED: file missing (products.{fmt})"


def test_duckdb_edited_row(tmp_path: Path, fake_simulate: Any,
                           capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, "duckdb")
    con = duckdb.connect(str(out / "ecomgen.duckdb"))
    con.execute("UPDATE sales SET quantity = quantity + 1 WHERE order_id = 3")
    con.close()
    rc, lines, _ = _verify(out, capsys)
    assert rc == 1
    assert lines["sales"] == "FAILED: content differs"
    assert lines["ecomgen.duckdb"].startswith("FAILED: file checksum differs")
    assert all(lines[t] == "ok" for t in TABLES if t != "sales")


def test_manifest_rows_disagree(tmp_path: Path, fake_simulate: Any,
                                capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, "parquet")
    m = read_manifest(out)
    m["tables"]["merchants"]["rows"] = 1_000
    (out / "manifest.json").write_text(json.dumps(m))
    rc, lines, _ = _verify(out, capsys)
    assert rc == 1
    assert _failed_only(lines, "merchants") == "FAILED: rows 40 vs 1,000 recorded"


def test_manifest_without_content_digests(tmp_path: Path, fake_simulate: Any,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A manifest written before content digests existed: files and rows are still checked."""
    out = _run(tmp_path, "csv")
    m = read_manifest(out)
    del m["content_digest_scheme"]
    for entry in m["tables"].values():
        del entry["content_digest"]
    (out / "manifest.json").write_text(json.dumps(m))
    rc, lines, _ = _verify(out, capsys)
    assert rc == 0
    assert lines["views"] == "ok (no content digest recorded: rows and file checked)"
    f = out / "customers.csv"
    f.write_bytes(f.read_bytes().replace(b"text", b"TEXT", 1))
    rc, lines, _ = _verify(out, capsys)
    assert rc == 1 and lines["customers"] == "FAILED: file checksum differs"


# ------------------------------------------------------------------ not a dataset: exit 2

@pytest.mark.parametrize("content", [None, "{not json", "[1, 2]", '{"format": "xml"}'])
def test_not_an_output_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 content: str | None) -> None:
    if content is not None:
        (tmp_path / "manifest.json").write_text(content)
    assert main(["verify", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "not an ecomgen output directory" in captured.err
    assert "Traceback" not in captured.err
    assert main(["verify", str(tmp_path / "nope")]) == 2


def test_verify_result_api(tmp_path: Path, fake_simulate: Any) -> None:
    out = _run(tmp_path, "parquet")
    result = verify_dir(out)
    assert result.passed and result.fmt == "parquet"
    assert [line.name for line in result.lines] == list(TABLES)
