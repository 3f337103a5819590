"""A tiny pure-Python library, vendored because PyPI is not reachable in CI."""

__version__ = "1.0.0"


def greet(name: str) -> str:
    return f"hello from {name} (greeting {__version__})"
