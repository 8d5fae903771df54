"""Tests of zwgk_cli/rules/ (see tests/README.md)."""
