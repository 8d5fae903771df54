"""End-to-end tests: whole seasons through the command line (see tests/README.md)."""
