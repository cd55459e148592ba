"""A simulated radio: the peripheral's BLE stack and the air, for the host and the unix port.

It implements the radio interface of peripheral.py the way a real stack does: it lays out the
GATT database (a GAP service first, a CCCD after each notifying or indicating value), answers
the ATT requests of a simulated central (sim_central.SimCentral), keeps each CCCD per
connection and clears it on disconnect, sends notifications and indications only where the
client enabled them, and stops advertising on connect. With an HciLog it records every packet
as the central's HCI sees it, so the run can be opened in Wireshark. Not for boards.
"""

import struct

from micropython import const

from .gatt import INDICATE, NOTIFY, READ, WRITE, uuid_bytes
from .hci_log import RECEIVED, SENT

# ATT op codes and error codes (Core spec, Vol 3, Part F)
ERROR_RSP = const(0x01)
FIND_INFO_REQ = const(0x04)
READ_BY_TYPE_REQ = const(0x08)
READ_REQ = const(0x0A)
READ_BY_GROUP_REQ = const(0x10)
WRITE_REQ = const(0x12)
NOTIFICATION = const(0x1B)
INDICATION = const(0x1D)
CONFIRMATION = const(0x1E)
ERR_INVALID_HANDLE = const(0x01)
ERR_READ_NOT_PERMITTED = const(0x02)
ERR_WRITE_NOT_PERMITTED = const(0x03)
ERR_REQUEST_NOT_SUPPORTED = const(0x06)
ERR_NOT_FOUND = const(0x0A)
ERR_INVALID_LENGTH = const(0x0D)
ERR_UNSUPPORTED_GROUP = const(0x10)

MTU = const(23)
CONN_HANDLE = const(0x0040)
PERIPHERAL_ADDRESS = bytes((0x01, 0x00, 0x11, 0xFA, 0x0D, 0xF0))  # F0:0D:FA:11:00:01, random
_PRIMARY = b"\x00\x28"
_CHAR_DECL = b"\x03\x28"
_CCCD = b"\x02\x29"
_SERVICE, _DECL, _VALUE, _CCCD_KIND = 0, 1, 2, 3


class SimRadio:
    def __init__(self, log=None, clock=None, name="Footfall", appearance=0x0441):
        self.log = log  # an HciLog, or None
        self.clock = clock or (lambda: 0)  # simulated time, ms
        self.name = name
        self.appearance = appearance
        self.central = None
        self.conn = None
        self.advertising = False
        self.adv_data = b""
        self.resp_data = b""
        self._handler = None
        self._attrs = [None]  # index = ATT handle: [type, value, kind, props, group end]
        self._deferred = []

    # ---- the radio interface (peripheral side) ----------------------------------------------
    def start(self, services, handler):
        self._handler = handler
        self._attrs = [None]
        gap = ((0x2A00, READ), (0x2A01, READ))
        self._service(0x1800, gap, (self.name.encode(), struct.pack("<H", self.appearance)))
        handles = []
        for uuid, chars in services:
            handles.extend(self._service(uuid, chars))
        return tuple(handles)

    def advertise(self, adv_data, resp_data=None):
        if self.conn is not None:
            raise OSError("simulated stack: cannot advertise while connected (one link)")
        self.advertising = True
        self.adv_data = bytes(adv_data)
        self.resp_data = bytes(resp_data) if resp_data else b""
        c = self.central
        if c is not None and c.scanning:
            c.on_advertising(self.adv_data, self.resp_data)

    def set_value(self, handle, data):
        self._attr(handle)[1] = bytes(data)

    def notify(self, conn, handle, data):
        if self._enabled(conn, handle, 1):
            self.to_central(struct.pack("<BH", NOTIFICATION, handle) + bytes(data))

    def indicate(self, conn, handle, data):
        if self._enabled(conn, handle, 2):
            self.to_central(struct.pack("<BH", INDICATION, handle) + bytes(data))

    # ---- the link (central side) -----------------------------------------------------------
    def now(self):
        return self.clock()

    def to_central(self, pdu):
        if self.log is not None:
            self.log.att(self.now(), RECEIVED, CONN_HANDLE, pdu)
        self.central.on_pdu(pdu)

    def link_up(self, central):
        if not self.advertising:
            raise OSError("simulated central: the peripheral is not advertising")
        self.central = central
        self.advertising = False
        self.conn = CONN_HANDLE
        if self.log is not None:
            self.log.connection_complete(self.now(), CONN_HANDLE, PERIPHERAL_ADDRESS)
        self._handler.on_connect(CONN_HANDLE)

    def link_down(self, reason):
        conn = self.conn
        if conn is None:
            return
        self.conn = None
        for a in self._attrs[1:]:
            if a[2] == _CCCD_KIND:
                a[1] = b"\x00\x00"  # no bonding: a CCCD does not outlive the connection
        if self.log is not None:
            self.log.disconnection_complete(self.now(), conn, reason)
        self._handler.on_disconnect(conn)

    def from_central(self, pdu):
        """An ATT PDU from the central: log it, answer it, then run what the app was told."""
        if self.log is not None:
            self.log.att(self.now(), SENT, CONN_HANDLE, pdu)
        response = self._answer(bytes(pdu))
        if response is not None:
            self.to_central(response)
        while self._deferred:
            handle, value = self._deferred.pop(0)
            self._handler.on_write(self.conn, handle, value)

    # ---- the GATT database -----------------------------------------------------------------
    def _service(self, uuid, chars, values=None):
        start = len(self._attrs)
        self._attrs.append([_PRIMARY, uuid_bytes(uuid), _SERVICE, 0, 0])
        handles = []
        for k, (cuuid, props) in enumerate(chars):
            value_handle = len(self._attrs) + 1
            decl = struct.pack("<BH", props, value_handle) + uuid_bytes(cuuid)
            self._attrs.append([_CHAR_DECL, decl, _DECL, 0, 0])
            value = values[k] if values else b""
            self._attrs.append([uuid_bytes(cuuid), value, _VALUE, props, 0])
            if props & (NOTIFY | INDICATE):
                self._attrs.append([_CCCD, b"\x00\x00", _CCCD_KIND, 0, 0])
            handles.append(value_handle)
        self._attrs[start][4] = len(self._attrs) - 1
        return handles

    def _attr(self, handle):
        if not 0 < handle < len(self._attrs):
            raise ValueError("no attribute with handle %d" % handle)
        return self._attrs[handle]

    def _enabled(self, conn, handle, bit):
        if conn is None or conn != self.conn or self.central is None:
            return False
        nxt = handle + 1
        if nxt >= len(self._attrs) or self._attrs[nxt][2] != _CCCD_KIND:
            return False
        return bool(self._attrs[nxt][1][0] & bit)

    def _answer(self, pdu):
        op = pdu[0] if pdu else 0
        if op == CONFIRMATION:
            return None
        try:
            if op == READ_BY_GROUP_REQ:
                return self._read_by_group(pdu)
            if op == READ_BY_TYPE_REQ:
                return self._read_by_type(pdu)
            if op == FIND_INFO_REQ:
                return self._find_info(pdu)
            if op == READ_REQ:
                return self._read(pdu)
            if op == WRITE_REQ:
                return self._write(pdu)
        except _AttFail as e:
            return struct.pack("<BBHB", ERROR_RSP, op, e.handle, e.code)
        except (IndexError, ValueError):  # a truncated request
            return struct.pack("<BBHB", ERROR_RSP, op, 0, ERR_INVALID_LENGTH)
        return struct.pack("<BBHB", ERROR_RSP, op, 0, ERR_REQUEST_NOT_SUPPORTED)

    def _range(self, pdu):
        start, end = struct.unpack_from("<HH", pdu, 1)
        if start == 0 or start > end:
            raise _AttFail(start, ERR_INVALID_HANDLE)
        end = min(end, len(self._attrs) - 1)
        if start > end:
            raise _AttFail(start, ERR_NOT_FOUND)
        return start, end, bytes(pdu[5:])

    def _collect(self, start, end, match, entry, op_rsp):
        # entries of one size, as many as fit in the MTU; none at all: Attribute Not Found
        out = []
        size = 0
        for h in range(start, end + 1):
            a = self._attrs[h]
            if not match(a):
                continue
            e = entry(h, a)
            if size and (len(e) != size or 2 + (len(out) + 1) * size > MTU):
                break
            size = len(e)
            out.append(e)
        if not out:
            raise _AttFail(start, ERR_NOT_FOUND)
        return bytes((op_rsp, size)) + b"".join(out)

    def _read_by_group(self, pdu):
        start, end, kind = self._range(pdu)
        if kind != _PRIMARY:
            raise _AttFail(start, ERR_UNSUPPORTED_GROUP)
        return self._collect(
            start,
            end,
            lambda a: a[2] == _SERVICE,
            lambda h, a: struct.pack("<HH", h, a[4]) + a[1],
            0x11,
        )

    def _read_by_type(self, pdu):
        start, end, kind = self._range(pdu)
        return self._collect(
            start,
            end,
            lambda a: a[0] == kind,
            lambda h, a: struct.pack("<H", h) + a[1][: MTU - 4],
            0x09,
        )

    def _find_info(self, pdu):
        start, end, _ = self._range(pdu)
        first = self._attrs[start][0]
        fmt = 1 if len(first) == 2 else 2
        body = self._collect(
            start,
            end,
            lambda a: len(a[0]) == len(first),
            lambda h, a: struct.pack("<H", h) + a[0],
            0x05,
        )
        return bytes((0x05, fmt)) + body[2:]

    def _read(self, pdu):
        (h,) = struct.unpack_from("<H", pdu, 1)
        if not 0 < h < len(self._attrs):
            raise _AttFail(h, ERR_INVALID_HANDLE)
        a = self._attrs[h]
        if a[2] == _VALUE and not a[3] & READ:
            raise _AttFail(h, ERR_READ_NOT_PERMITTED)
        return b"\x0b" + a[1][: MTU - 1]

    def _write(self, pdu):
        (h,) = struct.unpack_from("<H", pdu, 1)
        value = bytes(pdu[3:])
        if not 0 < h < len(self._attrs):
            raise _AttFail(h, ERR_INVALID_HANDLE)
        a = self._attrs[h]
        if a[2] == _CCCD_KIND:
            if len(value) != 2:
                raise _AttFail(h, ERR_INVALID_LENGTH)
            a[1] = value
        elif a[2] == _VALUE and a[3] & WRITE:
            self._deferred.append((h, value))  # the app hears of it after the response
        else:
            raise _AttFail(h, ERR_WRITE_NOT_PERMITTED)
        return b"\x13"


class _AttFail(Exception):
    def __init__(self, handle, code):
        super().__init__(code)
        self.handle = handle
        self.code = code
