"""Tests of zwgk_cli/scoring/ (see tests/README.md)."""
