"""Tests of zwgk_cli/reading/ (see tests/README.md)."""
