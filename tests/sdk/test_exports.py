"""The public surface: ``__all__`` lists it, and importing it loads no server code."""

import subprocess
import sys
import types

import pytest

import ringline.sdk
from ringline.sdk import (
    _client,
    _exceptions,
    _models,
    _operations,
    _resources,
    _retries,
    _types,
    webhooks,
)

MODULES = [_client, _exceptions, _models, _operations, _resources, _retries, _types, webhooks]


def test_all_lists_every_public_name() -> None:
    public = {
        name
        for name, value in vars(ringline.sdk).items()
        if not name.startswith("_")
        and not (isinstance(value, types.ModuleType) and name != "webhooks")
    }

    assert set(ringline.sdk.__all__) == public
    assert len(ringline.sdk.__all__) == len(set(ringline.sdk.__all__))


def test_public_classes_name_the_package() -> None:
    for name in ringline.sdk.__all__:
        value = getattr(ringline.sdk, name)
        if isinstance(value, type):
            assert value.__module__ == "ringline.sdk", name


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_private_modules_declare_all(module: types.ModuleType) -> None:
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))
    for name in module.__all__:
        assert hasattr(module, name), f"{module.__name__}.__all__ names missing {name}"


def test_exceptions_are_all_exported() -> None:
    errors = {
        name
        for name, value in vars(_exceptions).items()
        if isinstance(value, type) and issubclass(value, Exception)
    }

    assert errors <= set(ringline.sdk.__all__)


def test_importing_the_sdk_loads_no_server_code() -> None:
    script = (
        "import sys, ringline.sdk\n"
        "loaded = sorted(m for m in ('sqlalchemy', 'fastapi', 'starlette', 'uvicorn',"
        " 'ringline.app', 'ringline.config') if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )

    assert result.stdout.strip() == ""
