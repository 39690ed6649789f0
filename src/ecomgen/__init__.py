"""ecomgen: a fast, reproducible synthetic e-commerce data generator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Config", "__version__", "generate"]

if TYPE_CHECKING:
    from ecomgen.config import Config
    from ecomgen.pipeline import generate


def __getattr__(name: str) -> Any:
    """Import ``Config`` and ``generate`` on first use (keeps the command line fast)."""
    if name == "Config":
        from ecomgen.config import Config

        return Config
    if name == "generate":
        from ecomgen.pipeline import generate

        return generate
    raise AttributeError(f"module 'ecomgen' has no attribute {name!r}")
