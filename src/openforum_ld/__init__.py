"""openforum-ld: publish a civic forum's proceedings as validated, sourced linked open data."""

__version__ = "0.1.0"
