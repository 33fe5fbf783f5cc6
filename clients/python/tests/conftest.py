import os
import pathlib
import re
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


@pytest.fixture
def emailed_activation_token():
    """The token of the newest activation link emailed to an address (the embedded sender's
    outbox, GPUBROKER_OUTBOX_DIR)."""
    outbox = pathlib.Path(_env("GPUBROKER_OUTBOX_DIR"))

    def find(to: str) -> str:
        for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
            text = path.read_bytes().decode()  # as written: CRLF line ends kept
            if f"\nTo: {to}\r\n" in text:
                match = re.search(r"token=(act_[A-Za-z0-9_-]+)", text)
                if match:
                    return match.group(1)
        pytest.fail(f"no activation link was emailed to {to}")

    return find
