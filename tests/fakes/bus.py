"""A fake `machine.I2C`: routes the memory-read/write calls a driver makes to chip models."""

ENODEV = 19  # what MicroPython's I2C raises when no device acknowledges its address


class FakeI2C:
    """Holds chip models by address. Set `fail = True` (whole bus) or a chip's `answering =
    False` to make every transaction to it raise OSError, as a dead or unplugged chip does.
    `transactions` counts bus transactions, so a test can check that the FIFO is read in bursts.
    """

    def __init__(self, devices=None):
        self.devices = dict(devices or {})
        self.fail = False
        self.transactions = 0

    def attach(self, address, chip):
        self.devices[address] = chip
        return chip

    def _chip(self, addr):
        self.transactions += 1
        chip = self.devices.get(addr)
        if self.fail or chip is None or not chip.answering:
            raise OSError(ENODEV)
        chip.sync()
        return chip

    def scan(self):
        if self.fail:
            return []
        return sorted([a for a, c in self.devices.items() if c.answering])

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        data = self._chip(addr).read(memaddr, len(buf))
        for i in range(len(buf)):
            buf[i] = data[i]

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        return bytes(self._chip(addr).read(memaddr, nbytes))

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        self._chip(addr).write(memaddr, bytes(buf))
