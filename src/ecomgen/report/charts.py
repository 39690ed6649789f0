"""Plotly figures of the report, each built from a small aggregate (never raw rows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ecomgen.report.queries import BINS_PER_DECADE, FUNNEL_STEPS, Funnel

PALETTE = ["#3b6fd8", "#e5853b", "#3aa17e", "#c9485b", "#8a63c9", "#b08a2e", "#4aa3c2",
           "#7b7f86"]
ACCENT = "#3b6fd8"
SECOND = "#e5853b"
BAD = "#c9485b"
GOOD = "#3aa17e"


def _layout(fig: go.Figure, title: str, height: int = 380, **kw: Any) -> go.Figure:
    base: dict[str, Any] = dict(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        height=height, template="plotly_white", colorway=PALETTE, separators=".,",
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
              "size": 12, "color": "#1f2430"},
        margin={"l": 60, "r": 40, "t": 56, "b": 48},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0},
        hoverlabel={"font": {"size": 12}}, uniformtext={"minsize": 9, "mode": "show"},
        modebar={"orientation": "v", "bgcolor": "rgba(255,255,255,0.7)"})
    base.update(kw)
    fig.update_layout(**base)
    return fig


def _pct(a: float, b: float) -> float:
    return 100.0 * a / b if b else 0.0


def funnel_overall(f: Funnel) -> go.Figure:
    """The overall funnel: views → add_to_cart → checkout → sale lines."""
    values = [f.overall.get(k, 0) for k, _ in FUNNEL_STEPS]
    text = [f"{values[0]:,} views"] + [
        f"{v:,} · {_pct(v, values[i]):.1f}% of previous · {_pct(v, values[0]):.2f}% of views"
        for i, v in enumerate(values[1:])]
    fig = go.Figure(go.Funnel(
        y=[label for _, label in FUNNEL_STEPS], x=values, text=text, textinfo="text",
        textposition=["inside"] + ["outside"] * (len(values) - 1), textfont={"size": 12},
        insidetextfont={"color": "white", "size": 13},
        marker={"color": [ACCENT, "#5b8be0", "#86a9ea", GOOD]},
        hovertemplate="%{y}: %{x:,}<extra></extra>",
        connector={"line": {"color": "#c5cbd6", "width": 1}, "fillcolor": "#e8ecf3"}))
    return _layout(fig, "Conversion funnel (events, all sessions)", height=340,
                   margin={"l": 120, "r": 48, "t": 56, "b": 24})


_LOG_PCT_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]


def funnel_rates(groups: dict[str, dict[str, int]], by: str) -> go.Figure:
    """Share of views reaching each funnel step, one line per group (log scale)."""
    fig = go.Figure()
    labels = [label for _, label in FUNNEL_STEPS]
    for i, g in enumerate(sorted(groups)):
        d = groups[g]
        views = d.get("views", 0)
        ys = [_pct(d.get(k, 0), views) for k, _ in FUNNEL_STEPS]
        prev = ["" if j == 0 else f"<br>{_pct(d.get(k, 0), d.get(FUNNEL_STEPS[j - 1][0], 0)):.1f}%"
                " of previous step" for j, (k, _) in enumerate(FUNNEL_STEPS)]
        fig.add_scatter(x=labels, y=[y if y > 0 else None for y in ys], name=g,
                        mode="lines+markers", marker={"size": 7},
                        line={"color": PALETTE[i % len(PALETTE)], "width": 2},
                        customdata=[[d.get(k, 0), p] for (k, _), p in zip(FUNNEL_STEPS, prev,
                                                                            strict=True)],
                        hovertemplate=g + " · %{x}<br>%{customdata[0]:,} events · "
                                      "%{y:.2f}% of views%{customdata[1]}<extra></extra>")
    _layout(fig, f"Funnel by {by}: share of views reaching each step", height=360)
    fig.update_yaxes(type="log", title_text="% of views (log scale)",
                     tickvals=_LOG_PCT_TICKS, ticktext=[f"{t:g}%" for t in _LOG_PCT_TICKS])
    return fig


def daily(days: list[dict[str, Any]], windows: list[tuple[str, dt.date, dt.date]],
          start: dt.date, end: dt.date) -> go.Figure:
    """Daily orders (bars) and revenue (line), the sales calendar's windows shaded."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    x = [d["day"] for d in days]
    fig.add_bar(x=x, y=[d["orders"] for d in days], name="orders", marker_color="#9db7ea",
                hovertemplate="%{x|%a %d %b %Y}<br>%{y:,} orders<extra></extra>",
                secondary_y=False)
    fig.add_scatter(x=x, y=[float(d["revenue"]) for d in days], name="revenue (₹)",
                    mode="lines", line={"color": SECOND, "width": 1.6},
                    hovertemplate="%{x|%a %d %b %Y}<br>₹%{y:,.0f}<extra></extra>",
                    secondary_y=True)
    for i, (name, a, b) in enumerate(windows):
        fig.add_vrect(x0=dt.datetime.combine(a, dt.time()),
                      x1=dt.datetime.combine(b, dt.time()) + dt.timedelta(days=1),
                      fillcolor="#f2c14e", opacity=0.22, line_width=0, layer="below")
        fig.add_annotation(x=dt.datetime.combine(a, dt.time()), y=1.0, yref="paper",
                           text=name.replace("_", " "), showarrow=False, xanchor="left",
                           yanchor="bottom" if i % 2 == 0 else "top", textangle=0,
                           font={"size": 10, "color": "#7a5c00"})
    _layout(fig, "Daily orders and revenue (shaded: SALES_CALENDAR windows)", height=440,
            bargap=0.1, margin={"l": 60, "r": 70, "t": 80, "b": 60})
    fig.update_xaxes(range=[dt.datetime.combine(start, dt.time()) - dt.timedelta(hours=12),
                            dt.datetime.combine(end, dt.time()) + dt.timedelta(hours=36)])
    fig.update_yaxes(title_text="orders", tickformat=",", secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text="revenue", tickformat=".3~s", tickprefix="₹", secondary_y=True,
                     showgrid=False, rangemode="tozero", tickmode="auto", nticks=8)
    return fig


def category_mix(cats: list[dict[str, Any]]) -> go.Figure:
    """Share of orders and of revenue per category (horizontal bars, largest revenue on top)."""
    cats = list(reversed(cats))
    names = [c["category"] for c in cats]
    orders = sum(c["orders"] for c in cats)
    revenue = sum(float(c["revenue"]) for c in cats)
    fig = go.Figure()
    for label, vals, total, color in (("revenue", [float(c["revenue"]) for c in cats], revenue,
                                       SECOND),
                                      ("orders", [c["orders"] for c in cats], orders, ACCENT)):
        xs = [_pct(v, total) for v in vals]
        fig.add_bar(y=names, x=xs, orientation="h", name=f"share of {label}",
                    marker_color=color, text=[f"{x:.1f}%" for x in xs], textposition="outside",
                    cliponaxis=False, customdata=vals,
                    hovertemplate="%{y}<br>%{x:.1f}% of " + label
                                  + " (%{customdata:,.0f})<extra></extra>")
    _layout(fig, "Category mix: share of orders vs share of revenue", height=420,
            barmode="group", bargap=0.25, legend={"traceorder": "reversed", "orientation": "h",
                                                  "yanchor": "top", "y": -0.1, "x": 0})
    fig.update_xaxes(ticksuffix="%", rangemode="tozero")
    return fig


def _log_ticks(lo: int, hi: int) -> tuple[list[float], list[str]]:
    vals, text = [], []
    for e in range(lo, hi + 1):
        for m in (1, 3):
            v = m * 10**e
            vals.append(float(e) + (0.47712 if m == 3 else 0.0))
            text.append(f"₹{v:,}")
    return vals, text


def money_histogram(series: dict[str, list[dict[str, Any]]], title: str, xlabel: str
                    ) -> go.Figure:
    """Log10-binned money distributions, as shares of each series' count."""
    k = BINS_PER_DECADE
    fig = go.Figure()
    lo, hi = 10**9, -(10**9)
    for i, (name, bins) in enumerate(series.items()):
        total = sum(b["n"] for b in bins)
        if not bins:
            continue
        lo, hi = min(lo, bins[0]["bin"]), max(hi, bins[-1]["bin"])
        fig.add_bar(x=[(b["bin"] + 0.5) / k for b in bins],
                    y=[_pct(b["n"], total) for b in bins], width=1.0 / k, name=name,
                    marker_color=PALETTE[i], opacity=0.75 if len(series) > 1 else 0.9,
                    customdata=[[10 ** (b["bin"] / k), 10 ** ((b["bin"] + 1) / k), b["n"]]
                                for b in bins],
                    hovertemplate="₹%{customdata[0]:,.0f}–₹%{customdata[1]:,.0f}<br>"
                                  "%{y:.2f}% (%{customdata[2]:,})<extra>" + name + "</extra>")
    _layout(fig, title, barmode="overlay", bargap=0)
    if lo <= hi:
        tv, tt = _log_ticks(lo // k, hi // k + 1)
        fig.update_xaxes(tickvals=tv, ticktext=tt, range=[lo / k - 0.1, (hi + 1) / k + 0.1],
                         title_text=xlabel + " (log scale)")
    fig.update_layout(legend={"y": -0.22}, margin={"b": 80})
    fig.update_yaxes(ticksuffix="%", title_text="share")
    return fig


def rating_bars(stars: list[dict[str, Any]]) -> go.Figure:
    """Ratings per star as shares, J-shape expected."""
    total = sum(s["n"] for s in stars)
    mean = sum(s["rating"] * s["n"] for s in stars) / total if total else 0.0
    ys = [_pct(s["n"], total) for s in stars]
    colors = [BAD, "#e07a5f", "#d9b44a", "#7fbf7f", GOOD]
    fig = go.Figure(go.Bar(
        x=[f"{s['rating']}★" for s in stars], y=ys, marker_color=colors[: len(stars)],
        text=[f"{y:.1f}%" for y in ys], textposition="outside", cliponaxis=False,
        customdata=[s["n"] for s in stars],
        hovertemplate="%{x}: %{y:.1f}% (%{customdata:,})<extra></extra>"))
    _layout(fig, f"Rating distribution ({total:,} ratings, mean {mean:.2f})")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    return fig


def stock_levels(offers: list[dict[str, Any]],
                 series: dict[tuple[int, str], list[dict[str, Any]]],
                 end: dt.datetime | None = None) -> go.Figure:
    """Step lines of on-hand stock for the top offers; restocks ▲ and stock-outs ✕.

    Each line is held at its last balance until ``end`` (the period's last second).
    """
    n = max(len(offers), 1)
    titles = [f"merchant {o['merchant_id']} · {o['sku']} · {int(o['units']):,} units sold"
              for o in offers] or ["no sales"]
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True, vertical_spacing=0.045,
                        subplot_titles=titles)
    for i, o in enumerate(offers):
        pts = series.get((int(o["merchant_id"]), str(o["sku"])), [])
        row = i + 1
        color = PALETTE[i % len(PALETTE)]
        line_pts = list(pts)
        if pts and end is not None and pts[-1]["ts"] < end:
            line_pts.append({"ts": end, "balance": pts[-1]["balance"]})
        fig.add_scatter(x=[p["ts"] for p in line_pts], y=[p["balance"] for p in line_pts],
                        mode="lines", line={"shape": "hv", "color": color, "width": 1.5},
                        name=o["sku"], showlegend=False,
                        hovertemplate="%{x|%d %b %Y %H:%M}<br>%{y:,} units<extra></extra>",
                        row=row, col=1)
        rs = [p for p in pts if p["event_type"] == "restock"]
        zs = [p for p in pts if p["balance"] == 0]
        fig.add_scatter(x=[p["ts"] for p in rs], y=[p["balance"] for p in rs], mode="markers",
                        marker={"symbol": "triangle-up", "size": 8, "color": GOOD},
                        name="restock", legendgroup="restock", showlegend=i == 0,
                        hovertemplate="restock %{x|%d %b %Y}<br>%{y:,} units<extra></extra>",
                        row=row, col=1)
        fig.add_scatter(x=[p["ts"] for p in zs], y=[0] * len(zs), mode="markers",
                        marker={"symbol": "x", "size": 8, "color": BAD},
                        name="stock-out", legendgroup="oos", showlegend=i == 0,
                        hovertemplate="stock-out %{x|%d %b %Y %H:%M}<extra></extra>",
                        row=row, col=1)
        fig.update_yaxes(rangemode="tozero", tickformat=",", row=row, col=1)
    fig.update_annotations(font={"size": 11}, xanchor="left", x=0.0)
    _layout(fig, "Stock on hand of the top-selling offers (ledger new_balance)",
            height=150 + 150 * n, margin={"l": 60, "r": 24, "t": 80, "b": 40},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.03, "xanchor": "right",
                    "x": 0.95})
    return fig


def oos_rates(rows_: list[dict[str, Any]]) -> go.Figure:
    """Out-of-stock offer-day rate per merchant type."""
    names = [r["merchant_type"] for r in rows_]
    ys = [_pct(r["oos_days"], r["offer_days"]) for r in rows_]
    fig = go.Figure(go.Bar(
        x=names, y=ys, marker_color=BAD, text=[f"{y:.1f}%" for y in ys],
        textposition="outside", cliponaxis=False,
        customdata=[[r["oos_days"], r["offer_days"], r["offers"]] for r in rows_],
        hovertemplate="%{x}: %{y:.2f}%<br>%{customdata[0]:,} of %{customdata[1]:,} offer-days"
                      "<br>%{customdata[2]:,} offers<extra></extra>"))
    _layout(fig, "Out-of-stock offer-days by merchant type")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    return fig


def delivery_days(days: list[dict[str, Any]]) -> go.Figure:
    """Delivered orders by days from order to delivery, on time and late stacked."""
    xs = [d["days"] for d in days]
    fig = go.Figure([
        go.Bar(x=xs, y=[d["n"] - d["late"] for d in days], name="by the promised date",
               marker_color=GOOD, hovertemplate="%{x} days: %{y:,}<extra></extra>"),
        go.Bar(x=xs, y=[d["late"] for d in days], name="late", marker_color=BAD,
               hovertemplate="%{x} days: %{y:,} late<extra></extra>")])
    _layout(fig, "Days from order to delivery", barmode="stack")
    fig.update_xaxes(title_text="days", dtick=1)
    fig.update_yaxes(title_text="delivered orders", rangemode="tozero")
    return fig


def return_rates(rows_: list[dict[str, Any]]) -> go.Figure:
    """Returned units ÷ delivered units per category."""
    ys = [_pct(float(r["returned"]), float(r["delivered"])) for r in rows_]
    fig = go.Figure(go.Bar(
        x=[r["category"] for r in rows_], y=ys, marker_color=SECOND,
        text=[f"{y:.1f}%" for y in ys], textposition="outside", cliponaxis=False,
        hovertemplate="%{x}: %{y:.1f}% of delivered units returned<extra></extra>"))
    _layout(fig, "Return rate by category (units)")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    return fig
