"""The report's sections: each returns an HTML fragment built from DuckDB aggregates."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

from ecomgen.layout import table_of_file
from ecomgen.report import charts
from ecomgen.report import queries as q
from ecomgen.report.page import Page, badge, esc, fint, fmoney, fnum, fpct, kv, table
from ecomgen.schema import TABLE_ORDER, TABLES
from ecomgen.simulation.calendar import sale_windows
from ecomgen.tabledb import load_config

VALIDATION_FILE = "validation_report.json"


def table_rows(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per-table info from the manifest: {'rows': n, 'bytes': b, ...} whatever its layout."""
    raw = manifest.get("tables") or manifest.get("sizes") or {}
    out: dict[str, dict[str, Any]] = {}
    if isinstance(raw, dict):
        for name, v in raw.items():
            out[name] = v if isinstance(v, dict) else {"rows": v}
    elif isinstance(raw, list):
        for v in raw:
            if isinstance(v, dict) and "name" in v:
                out[str(v["name"])] = v
    return out


def add_file_bytes(rowinfo: dict[str, dict[str, Any]], manifest: dict[str, Any]) -> None:
    """Add each table's file size from the manifest's ``files`` entries (name.ext → bytes)."""
    files = manifest.get("files")
    if not isinstance(files, dict):
        return
    sizes: dict[str, int] = {}
    for fname, meta in files.items():  # one file per table, or its part files
        name = table_of_file(str(fname))
        if name is not None and isinstance(meta, dict) and _bytes_of(meta) is not None:
            sizes[name] = sizes.get(name, 0) + int(_bytes_of(meta))
    for name, size in sizes.items():
        rowinfo.setdefault(name, {}).setdefault("bytes", size)


def rows_of(info: dict[str, Any]) -> Any:
    """A table's row count from its manifest entry (None when absent)."""
    for k in ("rows", "row_count", "n_rows", "count"):
        if k in info:
            return info[k]
    return None


def _bytes_of(info: dict[str, Any]) -> Any:
    for k in ("bytes", "size_bytes", "file_bytes", "size"):
        if k in info:
            return info[k]
    return None


def _fbytes(b: Any) -> str:
    try:
        b = float(b)
    except (TypeError, ValueError):
        return "–"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if b < 1024 or unit == "TB":
            return f"{b:,.0f} {unit}" if unit == "B" else f"{b:,.1f} {unit}"
        b /= 1024
    return "–"


def _flat(d: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Flatten a nested dict into (dotted key, scalar) pairs."""
    out: list[tuple[str, Any]] = []
    if isinstance(d, dict):
        for k, v in d.items():
            out.extend(_flat(v, f"{prefix}{k}."))
    else:
        out.append((prefix.rstrip("."), d))
    return out


def section_run(manifest: dict[str, Any], cfg: Any, fmt: str, fun: q.Funnel,
                rowinfo: dict[str, dict[str, Any]], orders: dict[str, Any]) -> str:
    """Manifest: headline numbers, run facts, config summary, sizes and timings."""
    o = fun.overall
    kpis = [
        (fint(cfg.num_customers), "customers"), (fint(cfg.num_products), "products"),
        (fint(cfg.num_merchants), "merchants"), (fint(cfg.num_days), "days"),
        (fint(o["sessions"]), "sessions"), (fint(o["views"]), "product views"),
        (fint(o["orders"]), "orders"), (fmoney(o["revenue"]), "revenue"),
        (fmoney(orders.get("aov") or 0), "average order value"),
        (fpct(o["converted"], o["sessions"], 2), "session conversion"),
        (fpct(o["abandoned_carts"], o["carts"]), "cart abandonment"),
        (fpct(orders.get("single_item_share") or 0), "single-item orders"),
    ]
    k = "".join(f'<div class="kpi"><div class="v">{v}</div><div class="l">{esc(lbl)}</div></div>'
                for v, lbl in kpis)
    run = manifest.get("run") if isinstance(manifest.get("run"), dict) else {}
    facts: list[tuple[str, str]] = [("seed", fint(manifest.get("seed", cfg.seed))),
                                    ("format", esc(manifest.get("format", fmt))),
                                    ("period", f"{cfg.start} – {cfg.end} ({cfg.num_days:,} days)"),
                                    ("time zone", esc(cfg.timezone)),
                                    ("currency", esc(cfg.currency))]
    skip = {"config", "tables", "sizes", "timings", "timing", "files", "period", "simulation",
            "run", "seed", "format", "timezone", "currency"}
    scalars = [(k2, v) for k2, v in manifest.items() if k2 not in skip]
    scalars += [(k2, v) for k2, v in run.items() if k2 not in ("timings_seconds", "timings")]
    for key, val in scalars:
        if isinstance(val, list | dict):
            continue
        facts.append((key.replace("_", " "), fnum(val) if isinstance(val, int | float)
                      else esc(val)))
    conf = [("num_customers", fint(cfg.num_customers)), ("num_products", fint(cfg.num_products)),
            ("num_merchants", fint(cfg.num_merchants)),
            ("avg_views_per_day", fint(cfg.avg_views_per_day)),
            ("segments", esc(", ".join(f"{n} {s.weight:.0%}"
                                       for n, s in cfg.CUSTOMER_SEGMENTS.items()))),
            ("categories", esc(", ".join(cfg.CATEGORIES))),
            ("merchant types", esc(", ".join(f"{n} {m.weight:.0%}"
                                             for n, m in cfg.MERCHANT_TYPES.items()))),
            ("devices", esc(", ".join(f"{n} {d.weight:.0%}" for n, d in cfg.DEVICES.items()))),
            ("sale events", esc(", ".join(cfg.SALES_CALENDAR) or "none")),
            ("restock probability", fnum(cfg.INVENTORY_CONFIG.restock_probability)),
            ("damage rate", fnum(cfg.INVENTORY_CONFIG.damage_rate)),
            ("rating response rate", fnum(cfg.RATINGS.response_rate))]
    size_rows = []
    for name in TABLE_ORDER:
        info = rowinfo.get(name, {})
        size_rows.append([f"<code>{esc(name)}</code>", fint(rows_of(info))
                          if rows_of(info) is not None else "–", _fbytes(_bytes_of(info))])
    timings = (run.get("timings_seconds") or run.get("timings") or manifest.get("timings")
               or manifest.get("timing") or {})
    trows = [[esc(k2), f"{float(v):,.2f} s" if isinstance(v, int | float) else esc(v)]
             for k2, v in _flat(timings)] if isinstance(timings, dict) else []
    return (
        f'<div class="kpis">{k}</div><div class="grid2">'
        f'<div class="card"><h3>Run</h3>{kv(facts)}</div>'
        f'<div class="card"><h3>Configuration summary</h3>{kv(conf)}</div>'
        f'<div class="card"><h3>Tables</h3>{table(["table", "rows", "size"], size_rows, {1, 2})}'
        f"</div>"
        f'<div class="card"><h3>Timings</h3>'
        f"{table(['step', 'seconds'], trows, {1}) if trows else '<p class=unavailable>'}"
        f"{'' if trows else 'The manifest records no timings.</p>'}</div></div>")


def _funnel_table(groups: dict[str, dict[str, Any]], label: str) -> str:
    body = []
    for g in sorted(groups):
        d = groups[g]
        body.append([esc(g), fint(d["sessions"]), fint(d["views"]), fint(d["add_to_cart"]),
                     fint(d["checkout"]), fint(d["sales"]), fint(d["orders"]),
                     fpct(d["add_to_cart"], d["views"], 2), fpct(d["converted"], d["sessions"], 2),
                     fpct(d["abandoned_carts"], d["carts"]), fmoney(d["revenue"])])
    return table([label, "sessions", "views", "add to cart", "checkout", "sale lines", "orders",
                  "view→cart", "session conv.", "cart abandon.", "revenue"],
                 body, set(range(1, 11)))


def section_funnel(page: Page, fun: q.Funnel) -> str:
    """Funnel overall, by segment and by device."""
    o = fun.overall
    overall = page.chart(charts.funnel_overall(fun))
    seg = page.chart(charts.funnel_rates(fun.by_segment, "segment"))
    dev = page.chart(charts.funnel_rates(fun.by_device, "device"))
    return (
        '<p class="lead">Events counted over the whole period: product views (the sum of '
        "<code>browsing_sessions.views</code>), <code>add_to_cart</code> and "
        "<code>checkout</code> cart events, and paid sale lines. Cart abandonment: sessions "
        "with an add_to_cart that never reached a paid order ÷ such sessions.</p>"
        f'<div class="card">{overall}'
        f'<p class="note">{fint(o["removes"])} remove_from_cart events '
        f'({fpct(o["removes"], o["add_to_cart"])} of adds); {fint(o["checkout_failed"])} '
        f"checkouts failed for lack of stock.</p></div>"
        f'<div class="grid2"><div class="card">{seg}</div><div class="card">{dev}</div></div>'
        f'<div class="card"><h3>By segment</h3>{_funnel_table(fun.by_segment, "segment")}'
        f'<h3>By device</h3>{_funnel_table(fun.by_device, "device")}</div>')


def section_daily(page: Page, days: list[dict[str, Any]], cfg: Any) -> str:
    """Daily orders and revenue with the sale windows marked."""
    fig = charts.daily(days, sale_windows(cfg), cfg.start, cfg.end)
    orders = sorted(d["orders"] for d in days)
    median = orders[len(orders) // 2] if orders else 0
    peak = max(days, key=lambda d: d["orders"]) if days else None
    note = ""
    if peak and median:
        note = (f'<p class="note">Median day: {fint(median)} orders. Peak day: '
                f'{peak["day"]:%a %d %b %Y} with {fint(peak["orders"])} orders '
                f'({peak["orders"] / median:.1f}× the median).</p>')
    return f'<div class="card">{page.chart(fig)}{note}</div>'


def section_categories(page: Page, cats: list[dict[str, Any]]) -> str:
    """Category mix by orders and by revenue."""
    tot_o = sum(c["orders"] for c in cats)
    tot_r = sum(float(c["revenue"]) for c in cats)
    body = [[esc(c["category"]), fint(c["orders"]), fpct(c["orders"], tot_o), fint(c["units"]),
             fmoney(c["revenue"]), fpct(float(c["revenue"]), tot_r), fmoney(c["aov"])]
            for c in cats]
    heads = ["category", "orders", "share", "units", "revenue", "share", "avg order value"]
    return (f'<div class="grid2"><div class="card">{page.chart(charts.category_mix(cats))}</div>'
            f'<div class="card"><h3>Per category</h3>'
            f"{table(heads, body, set(range(1, 7)))}"
            '<p class="note">An order with lines in several categories counts once in each; '
            "average order value is per category: the order's lines in that category.</p>"
            "</div></div>")


def section_prices(page: Page, hist: dict[str, list[dict[str, Any]]],
                   orders: dict[str, Any]) -> str:
    """Price and order-value distributions."""
    prices = charts.money_histogram({"catalogue list price": hist["list_price"],
                                     "sold unit price": hist["sold_price"]},
                                    "Price distribution (share of products / sale lines)",
                                    "price")
    values = charts.money_histogram({"order value": hist["order_value"]},
                                    "Order value distribution (share of orders)", "order value")
    return (f'<div class="grid2"><div class="card">{page.chart(prices)}</div>'
            f'<div class="card">{page.chart(values)}<p class="note">Mean order value '
            f'{fmoney(orders.get("aov") or 0)}, median {fmoney(orders.get("median_value") or 0)}'
            f"; bins are {q.BINS_PER_DECADE} per decade of rupees.</p></div></div>")


def section_ratings(page: Page, stars: list[dict[str, Any]], lines: int) -> str:
    """Rating distribution."""
    n = sum(s["n"] for s in stars)
    return (f'<div class="card">{page.chart(charts.rating_bars(stars))}'
            f'<p class="note">{fint(n)} ratings for {fint(lines)} sale lines '
            f"({fpct(n, lines)} of lines rated).</p></div>")


def section_inventory(page: Page, con: Any, start: dt.date, end: dt.date) -> str:
    """Stock levels of the top-selling offers and out-of-stock rate by merchant type."""
    top = q.top_offers(con)
    series = q.stock_series(con, top)
    oos = q.oos_by_merchant_type(con, start, end)
    tot = sum(r["oos_days"] for r in oos), sum(r["offer_days"] for r in oos)
    body = [[esc(r["merchant_type"]), fint(r["offers"]), fint(r["offer_days"]),
             fint(r["oos_days"]), fpct(r["oos_days"], r["offer_days"], 2)] for r in oos]
    heads = ["merchant type", "offers", "offer-days", "days at zero", "rate"]
    body.append(["<b>all</b>", fint(sum(r["offers"] for r in oos)), fint(tot[1]), fint(tot[0]),
                 f"<b>{fpct(tot[0], tot[1], 2)}</b>"])
    last = dt.datetime.combine(end, dt.time(23, 59, 59))
    return (f'<div class="card">{page.chart(charts.stock_levels(top, series, last))}'
            '<p class="note">Ledger <code>new_balance</code> after every inventory event, drawn '
            "as steps; ▲ restock deliveries, ✕ the moments stock reached zero.</p></div>"
            f'<div class="grid2"><div class="card">{page.chart(charts.oos_rates(oos))}</div>'
            f'<div class="card"><h3>Out-of-stock offer-days</h3>'
            f"{table(heads, body, {1, 2, 3, 4})}"
            '<p class="note">An offer-day is out of stock when the offer ends the day with '
            "zero units (ledger balance); offer-days = offers × days of the period, as in "
            "realism figure 12.</p>"
            "</div></div>")


def section_after_order(page: Page, data: dict[str, Any]) -> str:
    """After the order: status funnel, returns by category, RTO by payment and city tier,
    delivery days and refund lags."""
    if not data:
        return '<p class="note">No shipments, returns or refunds tables in this dataset.</p>'
    out = data["outcomes"]
    n = sum(r["n"] for r in out)
    body = [[esc(r["outcome"]), fint(r["n"]), fpct(r["n"], n)] for r in out]
    seller = sum(r["by_seller"] for r in out)
    outcomes = ("<h3>Paid orders at the period's end</h3>"
                + table(["outcome", "orders", "share"], body, {1, 2})
                + f'<p class="note">{fint(seller)} of the cancellations were the seller\'s, '
                "the rest the buyer's, all before dispatch.</p>")
    rto_body = [["cash on delivery" if r["cod"] else "prepaid", str(r["tier"]), fint(r["n"]),
                 fpct(r["rto"], r["n"])] for r in data["rto"]]
    rto_html = ("<h3>Return to origin by payment and city tier</h3>"
                + table(["payment", "city tier", "orders", "RTO"], rto_body, {1, 2, 3}))
    ret = data["returns"]
    ret_body = [[esc(r["category"]), fint(r["delivered"]), fint(r["returned"]),
                 fpct(float(r["returned"]), float(r["delivered"])), esc(r["top_reason"] or "")]
                for r in ret]
    ret_html = ("<h3>Returns by category</h3>"
                + table(["category", "units delivered", "returned", "rate", "top reason"],
                        ret_body, {1, 2, 3}))
    days = data["days"]
    delivered = sum(d["n"] for d in days)
    late = sum(d["late"] for d in days)
    ref_body = [[esc(r["method"]), fint(r["n"]), fmoney(r["amount"]),
                 fnum(r["median_hours"]), fnum(r["p90_hours"])] for r in data["refunds"]]
    ref_html = ("<h3>Refunds by method</h3>"
                + table(["method", "refunds", "amount", "median hours", "p90 hours"],
                        ref_body, {1, 2, 3, 4})
                + '<p class="note">Hours from initiation (cancellation, RTO receipt, return '
                "pickup) to the money reaching the buyer; cash-on-delivery orders are "
                "refunded by bank transfer or store credit, and only for returns.</p>")
    return (f'<div class="grid2"><div class="card">{outcomes}</div>'
            f'<div class="card">{rto_html}</div></div>'
            f'<div class="grid2"><div class="card">{page.chart(charts.return_rates(ret))}</div>'
            f'<div class="card">{ret_html}</div></div>'
            f'<div class="grid2"><div class="card">{page.chart(charts.delivery_days(days))}'
            f'<p class="note">{fpct(late, delivered)} of {fint(delivered)} delivered orders '
            "arrived after the promised date.</p></div>"
            f'<div class="card">{ref_html}</div></div>')


def _generic_rows(items: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    cols: list[str] = []
    for it in items:
        for k, v in it.items():
            if k not in cols and not isinstance(v, dict | list):
                cols.append(k)
    body = []
    for it in items:
        row = []
        for c in cols:
            v = it.get(c)
            if isinstance(v, bool) and c.lower() in _OK_KEYS:
                row.append(badge(v))
            elif v is None:
                row.append("")
            else:
                row.append(fnum(v))
        body.append(row)
    return cols, body


_OK_KEYS = {"passed", "ok", "pass", "in_band", "within", "within_band", "success"}


def _ok_of(item: dict[str, Any]) -> bool | None:
    for k in item:
        if k.lower() in _OK_KEYS and isinstance(item[k], bool):
            return item[k]
    status = str(item.get("status", "")).lower()
    if status in ("pass", "passed", "ok"):
        return True
    if status in ("fail", "failed", "error"):
        return False
    return None


def _items(data: Any, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The list of per-item dicts under one of ``keys`` (list, or dict keyed by name)."""
    if isinstance(data, list):
        return [x for x in data if isinstance(x, dict)]
    if not isinstance(data, dict):
        return []
    for k in keys:
        v = data.get(k)
        if isinstance(v, list):
            return [x for x in v if isinstance(x, dict)]
        if isinstance(v, dict) and v and all(isinstance(x, dict) for x in v.values()):
            return [{"name": n, **x} for n, x in v.items()]
    return []


def _band_text(item: dict[str, Any]) -> dict[str, Any]:
    """Replace a list/dict band by readable text so that it shows as a column."""
    out = dict(item)
    for k in ("band", "bands", "range", "target"):
        v = out.get(k)
        if isinstance(v, list | tuple) and len(v) == 2:
            out[k] = f"{fnum(v[0])} – {fnum(v[1])}"
        elif isinstance(v, dict):
            out[k] = " – ".join(fnum(x) for x in v.values())
    return out


def _details_text(d: Any, limit: int = 140) -> str:
    """A compact 'key value, …' rendering of a figure's details."""
    if not isinstance(d, dict):
        return ""
    parts = []
    for k, v in d.items():
        if isinstance(v, dict):
            v = " / ".join(f"{k2} {fnum(v2)}" for k2, v2 in v.items())
        elif isinstance(v, list | tuple):
            v = " / ".join(fnum(x) for x in v)
        else:
            v = fnum(v)
        parts.append(f"{k.replace('_', ' ')} {v}")
    text = html.unescape("; ".join(parts))
    return esc(text if len(text) <= limit else text[: limit - 1] + "…")


def _profile_table(items: list[dict[str, Any]]) -> str:
    body, cls = [], []
    for x in items:
        v, unit = x.get("value"), str(x.get("unit") or "")
        value = "–" if v is None else (f"{v:,.2f}{'' if unit in ('', '×', 'x') else ' '}{esc(unit)}"
                                       if isinstance(v, int | float) else esc(v))
        ok = x.get("ok")
        body.append([fint(x.get("number", "")), esc(x.get("title", x.get("key", ""))), value,
                     esc(x.get("band", "")), badge(ok if isinstance(ok, bool) else None,
                                                   "in band", "outside"),
                     f'<span class="small">{_details_text(x.get("details"))}</span>',
                     esc(x.get("anchor", ""))])
        cls.append("fail" if ok is False else "")
    return table(["#", "figure", "value", "band", "status", "measured from", "published anchor"],
                 body, {0, 2, 3}, row_classes=cls)


def _profile_dict(path: Path, con: Any) -> dict[str, Any] | None:
    """The realism profile as a dict, measured on the report's open connection when possible."""
    try:
        from ecomgen.profile import figures
    except ImportError:
        return None
    compute = getattr(figures, "compute_figures", None)
    profile_cls = getattr(figures, "Profile", None)
    if con is not None and compute is not None and profile_cls is not None:
        return profile_cls(str(path), compute(con, load_config(path))).to_dict()
    return figures.profile_dir(path).to_dict()


def section_profile(path: Path, con: Any = None) -> str:
    """The realism profile against its bands (or 'profile unavailable')."""
    data = _profile_dict(path, con)
    items = [_band_text(x) for x in _items(data, ("figures", "results", "items"))]
    if not items:
        return '<div class="card"><p class="unavailable">Profile unavailable.</p></div>'
    n_ok = sum(1 for x in items if _ok_of(x) is True)
    n_bad = sum(1 for x in items if _ok_of(x) is False)
    if all("title" in x and "value" in x for x in items):
        grid = _profile_table(items)
    else:
        cols, body = _generic_rows(items)
        cls = ["fail" if _ok_of(x) is False else "" for x in items]
        grid = table([esc(c) for c in cols], body, row_classes=cls)
    return (f'<p class="lead">{n_ok} of {len(items)} realism figures inside their bands'
            f'{f", {n_bad} outside" if n_bad else ""}. The bands are acceptance ranges for '
            "the default scenario at preset S and larger; a small or customised run may "
            "fall outside on purpose.</p>"
            f'<div class="card">{grid}</div>')


_STATUS_CLASS = {"passed": "pass", "failed": "fail", "error": "fail", "skipped": "info"}


def _validation_table(items: list[dict[str, Any]]) -> str:
    body, cls = [], []
    for x in items:
        st = str(x.get("status", ""))
        msg = x.get("message") or x.get("description") or ""
        body.append([f'<span class="badge {_STATUS_CLASS.get(st, "warn")}">{esc(st)}</span>',
                     f"<code>{esc(x.get('name', ''))}</code>", esc(x.get("category", "")),
                     esc(x.get("severity", "")), fint(x.get("failing_rows", 0)), esc(msg)])
        cls.append("fail" if _ok_of(x) is False else "")
    return table(["status", "check", "category", "severity", "failing rows", "description"],
                 body, {4}, row_classes=cls)


def _samples(x: dict[str, Any]) -> str:
    cols, sample = x.get("columns"), x.get("sample")
    if isinstance(cols, list) and isinstance(sample, list) and sample:
        body = [[fnum(v) if v is not None else "" for v in r] for r in sample[:10]
                if isinstance(r, list)]
        return table([esc(c) for c in cols], body)
    extra = {k: v for k, v in x.items() if isinstance(v, dict | list) and v}
    if not extra:
        return ""
    return f"<pre><code>{esc(json.dumps(extra, default=str, indent=1)[:2000])}</code></pre>"


def section_validation(path: Path) -> str:
    """The validation report, failures first."""
    f = path / VALIDATION_FILE
    if not f.is_file():
        return ('<div class="card"><p class="unavailable">Validation was not run for this '
                "dataset (no validation_report.json); run <code>ecomgen validate "
                f"{esc(path)}</code>.</p></div>")
    try:
        data = json.loads(f.read_text())
    except ValueError as exc:
        return ('<div class="card"><p class="unavailable">validation_report.json is '
                f"unreadable: {esc(exc)}</p></div>")
    items = _items(data, ("results", "checks", "items"))
    sev = {"error": 0, "warning": 1}
    failed = sorted((x for x in items if _ok_of(x) is False),
                    key=lambda x: (sev.get(str(x.get("severity")), 2), str(x.get("name"))))
    rest = [x for x in items if _ok_of(x) is not False]
    passed = data.get("passed") if isinstance(data, dict) else None
    if not isinstance(passed, bool):
        passed = not failed if items else None
    n_err = sum(1 for x in failed if x.get("severity") == "error")
    split = (f": {fint(n_err)} errors, {fint(len(failed) - n_err)} warnings"
             if failed and any("severity" in x for x in failed) else "")
    head = (f'<p class="lead">{badge(passed, "passed", "failed")} {fint(len(items))} checks, '
            f"{fint(len(failed))} failed{split} (failures first).</p>")
    if not items:
        return head
    metrics = data.get("metrics") if isinstance(data, dict) else None
    cats = data.get("by_category") if isinstance(data, dict) else None
    top = ""
    if isinstance(metrics, dict) and metrics:
        top += (f'<div class="card"><h3>Quality metrics</h3>'
                f"{kv([(k.replace('_', ' '), fnum(v)) for k, v in metrics.items()])}</div>")
    if isinstance(cats, dict) and cats:
        rows_ = [[esc(k), fint(v.get("passed")), fint(v.get("total"))] for k, v in cats.items()
                 if isinstance(v, dict)]
        top += (f'<div class="card"><h3>By category</h3>'
                f"{table(['category', 'passed', 'checks'], rows_, {1, 2})}</div>")
    if all("name" in x and "status" in x for x in items):
        grid = _validation_table(failed + rest)
    else:
        cols, body = _generic_rows(failed + rest)
        grid = table([esc(c) for c in cols], body,
                     row_classes=["fail"] * len(failed) + [""] * len(rest))
    samples = ""
    for x in failed:
        inner = _samples(x)
        if inner:
            name = x.get("name") or x.get("check") or "check"
            samples += (f"<details><summary><code>{esc(name)}</code><span>sample of failing "
                        f"rows</span></summary>{inner}</details>")
    if samples:
        samples = f'<div class="card"><h3>Failure samples</h3>{samples}</div>'
    grid_top = f'<div class="grid2">{top}</div>' if top else ""
    return head + grid_top + samples + f'<div class="card scroll">{grid}</div>'


def section_dictionary(rowinfo: dict[str, dict[str, Any]]) -> str:
    """Every table and column of the data contract."""
    parts = []
    for name in TABLE_ORDER:
        t = TABLES[name]
        n = rows_of(rowinfo.get(name, {}))
        body = [[f"<code>{esc(c.name)}</code>", esc(c.kind), "yes" if c.nullable else "",
                 esc(c.description)] for c in t.columns]
        keys = f"primary key ({', '.join(t.primary_key)})"
        for fk in t.foreign_keys:
            keys += f"; ({', '.join(fk.columns)}) → {fk.table}({', '.join(fk.ref_columns)})"
        parts.append(
            f"<details><summary><code>{esc(name)}</code><span>{esc(t.description)} "
            f"{'· ' + fint(n) + ' rows' if n is not None else ''}</span></summary>"
            f'<p class="note">{esc(keys)}</p>'
            f"{table(['column', 'kind', 'nullable', 'description'], body)}</details>")
    return ('<p class="lead">The data contract (<code>ecomgen.schema</code>): click a table '
            "to see its columns.</p>"
            f'<div class="card">{"".join(parts)}</div>')
