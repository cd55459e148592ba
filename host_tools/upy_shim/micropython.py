"""CPython stand-in for MicroPython's `micropython` module.

Firmware modules write `from micropython import const` exactly as on the board; on CPython this
module answers instead. Only the host puts this folder on sys.path (host_tools/__init__.py and
pytest's pythonpath); it is never copied to a board.
"""


def const(value):
    return value


def native(func):
    return func


viper = native


def heap_lock():
    return 0


def heap_unlock():
    return 0


def alloc_emergency_exception_buf(size):
    return None


def schedule(func, arg):
    func(arg)
    return True
