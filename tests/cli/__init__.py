"""Tests of zwgk_cli/cli/ (see tests/README.md)."""
