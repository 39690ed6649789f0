"""Post-purchase ratings: some buyers rate a line after delivery, J-shaped scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Rated:
    """Ratings drawn for a day's sale lines (index into those lines)."""

    line: Any
    stars: Any
    delivery_days: Any
    time: Any  # absolute seconds
