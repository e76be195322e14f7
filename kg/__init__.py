"""corporate-kg: press releases -> a knowledge graph of corporate relationships."""

__version__ = "0.1.0"
