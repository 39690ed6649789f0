"""Build the effective Config: defaults <- preset <- TOML file <- command-line flags."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ecomgen.config import FIRST_DATE, LAST_DATE, PRESETS, RULE, Config, preset_overrides
from ecomgen.errors import UserError

#: CLI flag of each Config field that has one (used to phrase errors).
FLAG_OF: dict[str, str] = {
    "num_customers": "--num-customers",
    "num_products": "--num-products",
    "num_merchants": "--num-merchants",
    "start": "--start",
    "end": "--end",
    "avg_views_per_day": "--avg-views-per-day",
    "seed": "--seed",
}


def parse_date(text: str, flag: str) -> dt.date:
    """A YYYY-MM-DD date, or UserError naming the flag."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{flag} {text!r} is not a valid date; use YYYY-MM-DD, "
                        "e.g. 2024-01-31") from None


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning every problem into a one-line UserError."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"--config {path}: no such file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a BOM is fine
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"--config {path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"--config {path}: cannot read it ({exc})") from None


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` merged in: tables merge key by key, other values replace."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


#: A sale event's window is fixed (start, end) or anchored (anchor and its offsets).
FIXED_WINDOW = {"start": None, "end": None}
ANCHORED_WINDOW = {"anchor": None, "days_before": 0, "days_after": 0}


def _window_kind(data: dict[str, Any], file_data: dict[str, Any]) -> dict[str, Any]:
    """The defaults with each sale event a file re-dates cleared of its other kind of window:
    start and end in the file replace a default anchor, an anchor replaces start and end."""
    given = file_data.get("SALES_CALENDAR")
    if not isinstance(given, dict):
        return data
    cal = dict(data["SALES_CALENDAR"])
    for name, ev in given.items():
        if not isinstance(ev, dict) or not isinstance(cal.get(name), dict):
            continue
        if ("start" in ev or "end" in ev) and "anchor" not in ev:
            cal[name] = cal[name] | ANCHORED_WINDOW
        elif "anchor" in ev and not ("start" in ev or "end" in ev):
            cal[name] = cal[name] | FIXED_WINDOW
    return data | {"SALES_CALENDAR": cal}


def build_config(preset: str | None = None, config_file: Path | None = None,
                 flags: dict[str, Any] | None = None) -> Config:
    """The effective Config; raises UserError with one line on any problem."""
    if preset is not None and preset not in PRESETS:
        raise UserError(f"--preset {preset!r} is unknown; use one of {', '.join(PRESETS)}")
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    file_data = load_toml(config_file) if config_file is not None else {}
    data: dict[str, Any] = Config().model_dump()
    if preset is not None:
        start = flags.get("start", file_data.get("start", data["start"]))
        where = "--start" if "start" in flags else "config: start ="
        if isinstance(start, str):
            start = parse_date(start, where)
        if not isinstance(start, dt.date):
            raise UserError(f"{where} {_show(start)} is not a date; use YYYY-MM-DD")
        if not FIRST_DATE <= start <= LAST_DATE:  # the preset's end would run past it
            raise UserError(f"{where} {start} is outside the supported range; use a date from "
                            f"{FIRST_DATE} to {LAST_DATE}")
        overrides = preset_overrides(preset, start)
        end = overrides["end"]
        if "end" not in flags and "end" not in file_data and \
                isinstance(end, dt.date) and end > LAST_DATE:
            days = PRESETS[preset]["days"]
            given = f"--start {start}" if "start" in flags else f"start = {start}"
            raise UserError(f"--preset {preset} runs {days} days from {given}, past the "
                            f"supported last day {LAST_DATE}; start on "
                            f"{LAST_DATE - dt.timedelta(days=days - 1)} or earlier, or give "
                            "an end date")
        data.update(overrides)
    data = deep_merge(_window_kind(data, file_data), file_data)
    data.update(flags)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise UserError(describe_validation_error(exc, flags)) from None


def describe_validation_error(exc: ValidationError, flags: dict[str, Any] | None = None) -> str:
    """The first error of a pydantic ValidationError as one line with key path and hint."""
    err = exc.errors()[0]
    loc = tuple(str(p) for p in err["loc"])
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{_key_text(p)}" for p in err["loc"])
    path = path.removeprefix(".")
    etype = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    flags = flags or {}
    where = FLAG_OF[path] if path in FLAG_OF and path in flags else f"config: {path}"
    sep = " " if where.startswith("--") else " = "
    if etype == RULE:  # ecomgen's own rules: the message follows the key path (and value)
        message = str(ctx.get("message", err["msg"]))
        if not loc:
            return f"config: {message}"
        if ctx.get("show_value"):
            return f"{where}{sep}{_show(value)} {message}"
        return f"{where} {message}"
    if etype == "bool_type":
        return f"{where}{sep}{_show(value)} is not true or false; write true or false " \
            "(without quotes)"
    if etype == "extra_forbidden":
        choices = _field_names(Config, loc[:-1])
        close = difflib.get_close_matches(loc[-1], choices, n=1)
        hint = f"did you mean {close[0]}?" if close else \
            f"known keys: {', '.join(choices)}" if choices else "remove it"
        return f"config: unknown key {path} — {hint}"
    bounds = {"greater_than": "> {gt}", "greater_than_equal": ">= {ge}",
              "less_than": "< {lt}", "less_than_equal": "<= {le}"}
    if etype in bounds:
        rule = bounds[etype].format(**ctx)
        return f"{where}{sep}{_show(value)} is out of range (must be {rule})"
    if etype == "missing":
        return f"config: {path} is required here; add it to the TOML table"
    if not loc:  # a model-level consistency rule
        msg = err["msg"].removeprefix("Value error, ")
        return f"config: {msg}"
    msg = err["msg"].removeprefix("Value error, ")
    return f"{where}{sep}{_show(value)} is invalid: {msg}"


def _key_text(key: Any) -> str:
    """A key of a key path as written, quoted when it holds unprintable characters."""
    text = str(key)
    return text if text.isprintable() else json.dumps(text)


def _show(value: Any) -> str:
    """A value as the user wrote it in TOML (strings quoted, true/false, [lists]), ASCII only
    so that no character of it can break the line."""
    if isinstance(value, str):
        return json.dumps(value)
    try:
        return _value(value).encode("ascii", "backslashreplace").decode("ascii")
    except TypeError:
        return ascii(value)


def _field_names(model: Any, loc: tuple[str, ...]) -> list[str]:
    """Field names of the model reached by following ``loc`` from ``model``."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """Strip Annotated / Optional wrappers from a type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0]
        else:
            return tp


# ------------------------------------------------------------------------------ TOML out
def config_to_toml(cfg: Config) -> str:
    """The Config as TOML text that ``build_config(config_file=...)`` reads back unchanged."""
    return to_toml(cfg.model_dump(mode="python"))


def to_toml(data: dict[str, Any]) -> str:
    """Nested dicts of TOML values as TOML text (nested dicts become tables)."""
    lines: list[str] = []
    _emit_table(lines, (), data)
    return "\n".join(lines).strip() + "\n"


def _emit_table(lines: list[str], path: tuple[str, ...], data: dict[str, Any]) -> None:
    scalars = {k: v for k, v in data.items()
               if not (isinstance(v, dict) and v) and v is not None}  # TOML has no null
    tables = {k: v for k, v in data.items() if isinstance(v, dict) and v}
    if path and (scalars or not tables):
        lines.append("")
        lines.append("[" + ".".join(_key(p) for p in path) + "]")
    for key, value in scalars.items():
        lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in tables.items():
        _emit_table(lines, (*path, key), value)


def _key(key: str) -> str:
    if key and all(ch.isalnum() or ch in "_-" for ch in key) and key.isascii():
        return key
    return json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):  # JSON escapes are TOML escapes; TOML also wants DEL escaped
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
