"""The engine cases shared with the MicroPython unix port (tests/upy/engine_cases.py)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "upy"))
os.environ.setdefault("FOOTFALL_TEST_DATA", os.path.join(os.path.dirname(__file__), "data"))

import engine_cases  # noqa: E402


@pytest.mark.parametrize("case", engine_cases.all_cases(), ids=lambda c: c.__name__[5:])
def test_case(case):
    case()
