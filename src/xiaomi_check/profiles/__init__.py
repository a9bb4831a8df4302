"""Shipped analysis profiles (TOML)."""
