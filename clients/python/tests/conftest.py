import os
import time

import pytest

from gpubroker import Client


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} must be set (run through clients/test)")
    return value


@pytest.fixture
def target() -> str:
    return _env("GPUBROKER_TARGET")


@pytest.fixture
def client(target):
    with Client(target) as client:
        yield client


@pytest.fixture
def admin_credentials() -> tuple[str, str]:
    return _env("GPUBROKER_ADMIN_EMAIL"), _env("GPUBROKER_ADMIN_PASSWORD")


@pytest.fixture
def unique() -> str:
    return f"{time.time_ns()}"
