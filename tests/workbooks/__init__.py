"""Tests of zwgk_cli/workbooks/ (see tests/README.md)."""
