"""The gait engine: pure Python that MicroPython and CPython run unchanged, integers only."""

from .engine import GaitEngine  # noqa: F401
