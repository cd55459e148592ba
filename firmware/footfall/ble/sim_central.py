"""A simulated central (a watch, a phone) for sim_radio: scans, connects, discovers the GATT
table with real ATT exchanges, subscribes, reads, writes, and keeps what it receives.

Discovery is the standard one (Core spec Vol 3 Part G 4.4-4.7): Read By Group Type for the
primary services, Read By Type for each service's characteristic declarations, Find
Information for the descriptors after each value; Wireshark follows the same exchanges to name
the handles in the capture. Not for boards.
"""

import struct

from micropython import const

from .gatt import uuid_bytes
from .hci_log import (
    ADV_IND,
    OP_DISCONNECT,
    OP_LE_CREATE_CONNECTION,
    OP_LE_SET_SCAN_ENABLE,
    SCAN_RSP,
)
from .sim_radio import (
    CONFIRMATION,
    CONN_HANDLE,
    ERROR_RSP,
    FIND_INFO_REQ,
    INDICATION,
    NOTIFICATION,
    PERIPHERAL_ADDRESS,
    READ_BY_GROUP_REQ,
    READ_BY_TYPE_REQ,
    READ_REQ,
    WRITE_REQ,
)

_REMOTE_USER_TERMINATED = const(0x13)
_LOCAL_HOST_TERMINATED = const(0x16)
_CCCD16 = const(0x2902)


class AttError(Exception):
    """The server answered a request with an ATT Error Response."""

    def __init__(self, op, handle, code):
        super().__init__("ATT error 0x%02x on request 0x%02x, handle %d" % (code, op, handle))
        self.op = op
        self.handle = handle
        self.code = code


class SimCentral:
    def __init__(self, radio):
        self.radio = radio
        radio.central = self
        self.scanning = False
        self.connected = False
        self.adv_reports = []  # (t_ms, advertising data, scan response)
        self.notifications = []  # (t_ms, handle, bytes)
        self.indications = []
        self.services = []  # (start, end, uuid bytes)
        self.characteristics = []  # (declaration handle, properties, value handle, uuid bytes)
        self.cccds = {}  # value handle -> CCCD handle
        self._rsp = None

    # ---- link ----------------------------------------------------------------------------
    def start_scan(self):
        log = self.radio.log
        if log is not None:
            t = self.radio.now()
            log.command(t, OP_LE_SET_SCAN_ENABLE, b"\x01\x00")
            log.command_complete(t, OP_LE_SET_SCAN_ENABLE)
        self.scanning = True
        if self.radio.advertising:
            self.on_advertising(self.radio.adv_data, self.radio.resp_data)

    def on_advertising(self, adv_data, resp_data):
        t = self.radio.now()
        self.adv_reports.append((t, adv_data, resp_data))
        log = self.radio.log
        if log is not None:
            log.advertising_report(t, ADV_IND, PERIPHERAL_ADDRESS, adv_data)
            if resp_data:
                log.advertising_report(t, SCAN_RSP, PERIPHERAL_ADDRESS, resp_data)

    def connect(self):
        log = self.radio.log
        if log is not None:
            t = self.radio.now()
            # scan interval/window, filter policy, peer address, own address type, interval
            # min/max, latency, supervision timeout, CE length min/max
            params = struct.pack("<HHBB", 96, 48, 0, 1) + PERIPHERAL_ADDRESS
            params += struct.pack("<BHHHHHH", 0, 24, 40, 0, 400, 0, 0)
            log.command(t, OP_LE_CREATE_CONNECTION, params)
            log.command_status(t, OP_LE_CREATE_CONNECTION)
        self.scanning = False
        self.radio.link_up(self)
        self.connected = True

    def disconnect(self):
        log = self.radio.log
        if log is not None:
            t = self.radio.now()
            log.command(t, OP_DISCONNECT, struct.pack("<HB", CONN_HANDLE, _REMOTE_USER_TERMINATED))
            log.command_status(t, OP_DISCONNECT)
        self.connected = False
        self.radio.link_down(_LOCAL_HOST_TERMINATED)

    # ---- ATT client ------------------------------------------------------------------------
    def on_pdu(self, pdu):
        op = pdu[0]
        if op == NOTIFICATION:
            self.notifications.append((self.radio.now(), _u16(pdu, 1), bytes(pdu[3:])))
        elif op == INDICATION:
            self.indications.append((self.radio.now(), _u16(pdu, 1), bytes(pdu[3:])))
            self.radio.from_central(bytes((CONFIRMATION,)))
        else:
            self._rsp = bytes(pdu)

    def request(self, pdu):
        """Send one ATT request; returns the response PDU or raises AttError."""
        if not self.connected:
            raise OSError("simulated central: not connected")
        self._rsp = None
        self.radio.from_central(pdu)
        rsp = self._rsp
        if rsp is None:
            raise OSError("simulated central: no response to ATT request 0x%02x" % pdu[0])
        if rsp[0] == ERROR_RSP:
            raise AttError(rsp[1], _u16(rsp, 2), rsp[4])
        return rsp

    def discover(self):
        self.services = []
        start = 1
        while start <= 0xFFFF:
            try:
                rsp = self.request(struct.pack("<BHHH", READ_BY_GROUP_REQ, start, 0xFFFF, 0x2800))
            except AttError:
                break
            size = rsp[1]
            for i in range(2, len(rsp), size):
                s, e = struct.unpack_from("<HH", rsp, i)
                self.services.append((s, e, rsp[i + 4 : i + size]))
                start = e + 1
        self.characteristics = []
        for s, e, _ in self.services:
            self._discover_characteristics(s, e)
        self.cccds = {}
        chars = self.characteristics
        for k, (_, _, value, _) in enumerate(chars):
            end = self._service_end(value)
            if k + 1 < len(chars) and chars[k + 1][0] <= end:
                end = chars[k + 1][0] - 1
            self._discover_descriptors(value, end)
        return self

    def _discover_characteristics(self, start, end):
        while start <= end:
            try:
                rsp = self.request(struct.pack("<BHHH", READ_BY_TYPE_REQ, start, end, 0x2803))
            except AttError:
                return
            size = rsp[1]
            for i in range(2, len(rsp), size):
                decl, props, value = struct.unpack_from("<HBH", rsp, i)
                self.characteristics.append((decl, props, value, rsp[i + 5 : i + size]))
                start = value + 1

    def _discover_descriptors(self, value, end):
        start = value + 1
        while start <= end:
            try:
                rsp = self.request(struct.pack("<BHH", FIND_INFO_REQ, start, end))
            except AttError:
                return
            step = 4 if rsp[1] == 1 else 18
            for i in range(2, len(rsp), step):
                h = _u16(rsp, i)
                if step == 4 and _u16(rsp, i + 2) == _CCCD16:
                    self.cccds[value] = h
                start = h + 1

    def _service_end(self, handle):
        for s, e, _ in self.services:
            if s <= handle <= e:
                return e
        return handle

    def handle(self, uuid):
        """The value handle of a discovered characteristic (int 16-bit UUID or UUID string)."""
        want = uuid_bytes(uuid)
        for _, _, value, u in self.characteristics:
            if u == want:
                return value
        raise KeyError("no characteristic %r discovered" % (uuid,))

    def read(self, uuid):
        return self.request(struct.pack("<BH", READ_REQ, self.handle(uuid)))[1:]

    def write(self, uuid, data):
        self.write_handle(self.handle(uuid), data)

    def write_handle(self, handle, data):
        self.request(struct.pack("<BH", WRITE_REQ, handle) + bytes(data))

    def subscribe(self, uuid, notify=True, indicate=False):
        value = (1 if notify else 0) | (2 if indicate else 0)
        cccd = self.cccds[self.handle(uuid)]
        self.request(struct.pack("<BHH", WRITE_REQ, cccd, value))

    def received(self, uuid):
        """The notifications received on one characteristic, as (t_ms, bytes)."""
        h = self.handle(uuid)
        return [(t, d) for t, hh, d in self.notifications if hh == h]


def _u16(data, i):
    return data[i] | (data[i + 1] << 8)
