"""The examples in the installed package's docstrings are run as tests."""

import doctest
import importlib
import pkgutil

import pytest

import zwgk_cli

MODULES = sorted(m.name for m in pkgutil.walk_packages(zwgk_cli.__path__, "zwgk_cli.")
                 if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_every_public_name_resolves():
    for name in zwgk_cli.__all__:
        assert getattr(zwgk_cli, name) is not None, name
