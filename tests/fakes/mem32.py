"""A register file standing in for machine.mem32: reads what was written (0 otherwise) and
keeps the order of writes, as (address, value)."""


class FakeMem32:
    def __init__(self, preset=None):
        self.regs = dict(preset or {})
        self.writes = []
        self.last = 0

    def __getitem__(self, addr):
        return self.regs.get(addr, 0)

    def __setitem__(self, addr, value):
        self.regs[addr] = value
        self.writes.append((addr, value))


class QuietMem32:
    """For heap-locked runs: remembers only the last value written (no list to grow)."""

    def __init__(self):
        self.last = 0

    def __getitem__(self, addr):
        return 0

    def __setitem__(self, addr, value):
        self.last = value
