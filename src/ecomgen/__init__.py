"""ecomgen: a fast, reproducible synthetic e-commerce data generator."""

from ecomgen.config import Config

__version__ = "0.1.0"

__all__ = ["Config", "__version__"]
