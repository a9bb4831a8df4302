"""`python -m xiaomi_check` is the `xiaomi-check` command."""

from xiaomi_check.cli import main

main()
