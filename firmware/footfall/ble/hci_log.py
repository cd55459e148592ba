"""Write what the simulated air carries as a pcap file Wireshark opens.

Link type 201, LINKTYPE_BLUETOOTH_HCI_H4_WITH_PHDR: each record is a 4-byte direction in
network byte order (0: sent by the host, 1: received from the controller) and then one HCI
packet in UART (H4) framing: 0x01 command, 0x02 ACL data, 0x04 event. The capture is taken at
the HCI of the simulated central, like a phone's Bluetooth snoop log: advertising reports and
connection events come up from its controller, ATT requests go down, responses and
notifications come up, over ACL on the L2CAP ATT channel (CID 4).

Pure struct code: runs on CPython and the MicroPython unix port. Not for boards.
"""

import struct

from micropython import const

LINKTYPE_H4_WITH_PHDR = const(201)
SENT = const(0)  # host -> controller
RECEIVED = const(1)  # controller -> host

H4_COMMAND = const(0x01)
H4_ACL = const(0x02)
H4_EVENT = const(0x04)

EVT_DISCONNECTION_COMPLETE = const(0x05)
EVT_COMMAND_COMPLETE = const(0x0E)
EVT_COMMAND_STATUS = const(0x0F)
EVT_LE_META = const(0x3E)
LE_CONNECTION_COMPLETE = const(0x01)
LE_ADVERTISING_REPORT = const(0x02)

OP_DISCONNECT = const(0x0406)
OP_LE_SET_SCAN_ENABLE = const(0x200C)
OP_LE_CREATE_CONNECTION = const(0x200D)

ADV_IND = const(0x00)
SCAN_RSP = const(0x04)
ADDR_RANDOM = const(0x01)
CID_ATT = const(0x0004)

_PB_FIRST_FLUSHABLE = const(0x2000)  # controller -> host start of an L2CAP frame
_EPOCH_S = 1700000000  # simulated t=0, so captures are identical from run to run


class HciLog:
    """Append HCI packets to an open binary file as pcap records, at simulated times."""

    def __init__(self, f, epoch_s=_EPOCH_S):
        self.f = f
        self.epoch_s = epoch_s
        self.packets = 0
        self._last_us = -1
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_H4_WITH_PHDR))

    def record(self, t_ms, direction, packet):
        # one microsecond apart at least, so packets of the same millisecond keep their order
        us = t_ms * 1000
        if us <= self._last_us:
            us = self._last_us + 1
        self._last_us = us
        n = 4 + len(packet)
        self.f.write(struct.pack("<IIII", self.epoch_s + us // 1000000, us % 1000000, n, n))
        self.f.write(struct.pack(">I", direction))
        self.f.write(packet)
        self.packets += 1

    def command(self, t_ms, opcode, params=b""):
        self.record(t_ms, SENT, struct.pack("<BHB", H4_COMMAND, opcode, len(params)) + params)

    def event(self, t_ms, code, params):
        self.record(t_ms, RECEIVED, bytes((H4_EVENT, code, len(params))) + params)

    def command_status(self, t_ms, opcode, status=0):
        self.event(t_ms, EVT_COMMAND_STATUS, struct.pack("<BBH", status, 1, opcode))

    def command_complete(self, t_ms, opcode, status=0):
        self.event(t_ms, EVT_COMMAND_COMPLETE, struct.pack("<BHB", 1, opcode, status))

    def advertising_report(self, t_ms, event_type, address, data, rssi=-60):
        """address: 6 bytes as on the air (least significant first)."""
        params = bytes((LE_ADVERTISING_REPORT, 1, event_type, ADDR_RANDOM)) + address
        params += bytes((len(data),)) + bytes(data) + bytes((rssi & 0xFF,))
        self.event(t_ms, EVT_LE_META, params)

    def connection_complete(self, t_ms, handle, address, interval=24, timeout=400):
        # role 0: we are the central; interval in 1.25 ms, supervision timeout in 10 ms
        params = struct.pack("<BBHBB", LE_CONNECTION_COMPLETE, 0, handle, 0, ADDR_RANDOM)
        params += address + struct.pack("<HHHB", interval, 0, timeout, 0)
        self.event(t_ms, EVT_LE_META, params)

    def disconnection_complete(self, t_ms, handle, reason):
        self.event(t_ms, EVT_DISCONNECTION_COMPLETE, struct.pack("<BHB", 0, handle, reason))

    def att(self, t_ms, direction, handle, pdu):
        """One ATT PDU over ACL on the L2CAP ATT channel."""
        flags = _PB_FIRST_FLUSHABLE if direction == RECEIVED else 0
        head = struct.pack("<BHHHH", H4_ACL, handle | flags, len(pdu) + 4, len(pdu), CID_ATT)
        self.record(t_ms, direction, head + bytes(pdu))
