"""Statistical checks (warnings): shares near config weights, realism figures in their bands."""

from __future__ import annotations

from collections.abc import Callable

from ecomgen.checks.registry import Check, Context, Failures, check, register
from ecomgen.profile.bands import BANDS
from ecomgen.profile.figures import compute_figures

#: Absolute tolerance on a share, on top of four binomial standard errors.
SHARE_TOLERANCE = 0.02
#: Views the top 20 % of products must exceed (long tail).
TOP_PRODUCTS_MIN_VIEW_SHARE = 0.5
#: Smallest dataset whose realism figures mean something: with fewer customers or sessions
#: a figure is decided by a handful of rows and its check is not applicable.
MIN_SAMPLE = {"customers": 100, "browsing_sessions": 1_000}


def sample_large_enough(ctx: Context) -> bool:
    """Whether every table of MIN_SAMPLE holds at least its minimum of rows."""
    parts = ", ".join(f'(SELECT count(*) FROM "{t}")' for t in MIN_SAMPLE)
    (counts,) = ctx.con.execute(f"SELECT [{parts}]").fetchall()[0]
    return all(have >= need for have, need in zip(counts, MIN_SAMPLE.values(), strict=True))


def _figure_check(key: str) -> Callable[[Context], Failures]:
    def run(ctx: Context) -> Failures:
        f = compute_figures(ctx.con, ctx.cfg, [key])[0]
        cols = ["figure", "value", "band", "details"]
        if f.ok:
            return Failures(0, cols, [])
        return Failures(1, cols, [(key, f.value, f.band.text(), str(f.details))])
    return run


for _b in BANDS:
    register(Check(f"realism_{_b.number:02d}_{_b.key}", "statistical", "warning",
                   f"Realism figure #{_b.number} ({_b.title}) lies in its band "
                   f"{_b.text()}.", compute=_figure_check(_b.key),
                   applies=sample_large_enough))


def _share_query(table: str, column: str, weights: dict[str, float]) -> str:
    total = sum(weights.values()) or 1.0
    vals = ", ".join(f"('{k}', {w / total!r})" for k, w in weights.items())
    return (f"WITH a AS (SELECT {column} AS label, count(*) AS n FROM {table} GROUP BY 1), "
            f"t AS (SELECT sum(n) AS total FROM a), "
            f"w AS (SELECT * FROM (VALUES {vals}) AS w(label, weight)) "
            f"SELECT label, coalesce(a.n, 0) / t.total AS share, w.weight FROM w "
            f"FULL JOIN a USING (label), t WHERE abs(coalesce(a.n, 0) / t.total - "
            f"coalesce(w.weight, 0)) > {SHARE_TOLERANCE} + 4 * sqrt(coalesce(w.weight, 0) * "
            f"(1 - coalesce(w.weight, 0)) / t.total)")


@check("segment_shares", "statistical",
       "Customer shares per segment are within tolerance of CUSTOMER_SEGMENTS weights.",
       severity="warning")
def _segment_shares(ctx: Context) -> str:
    return _share_query("customers", "segment",
                        {k: v.weight for k, v in ctx.cfg.CUSTOMER_SEGMENTS.items()})


@check("gender_shares", "statistical",
       "Customer shares per gender are within tolerance of GENDER_PREFERENCES weights.",
       severity="warning")
def _gender_shares(ctx: Context) -> str:
    return _share_query("customers", "gender",
                        {k: v.weight for k, v in ctx.cfg.GENDER_PREFERENCES.items()})


@check("age_group_shares", "statistical",
       "Customer shares per age group are within tolerance of AGE_BEHAVIOR_MAPPING weights.",
       severity="warning")
def _age_shares(ctx: Context) -> str:
    return _share_query("customers", "age_group",
                        {k: v.weight for k, v in ctx.cfg.AGE_BEHAVIOR_MAPPING.items()})


@check("popularity_long_tail", "statistical",
       "Product views are long-tailed: the top 20 % of products get over half the views.",
       severity="warning", applies=sample_large_enough)
def _long_tail(ctx: Context) -> str:
    return ("WITH p AS (SELECT count(*) AS n FROM views GROUP BY product_id), "
            "r AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS rk, count(*) OVER () AS k, "
            "sum(n) OVER () AS total FROM p), "
            "top AS (SELECT sum(n) / max(total) AS top20_share FROM r "
            "WHERE rk <= greatest(1, ceil(0.2 * (SELECT count(*) FROM products)))) "
            f"SELECT top20_share FROM top WHERE coalesce(top20_share, 0) <= "
            f"{TOP_PRODUCTS_MIN_VIEW_SHARE}")
