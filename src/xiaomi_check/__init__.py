"""xiaomi-check: figures with provenance from HKEX / IFRS / US GAAP filings."""

__version__ = "0.1.0"
