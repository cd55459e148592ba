"""Radio backend on MicroPython's low-level `bluetooth` module (ESP32 and every port with it).

Thin on purpose: it maps the radio interface of peripheral.py onto bluetooth.BLE and
forwards the stack's events; every protocol decision is in the pure modules. Notifications go
through gatts_write(..., send_update=True), which the stack sends only to clients that
subscribed, so a watch that switched notifications off gets nothing.
"""

import bluetooth
from micropython import const

_IRQ_CENTRAL_CONNECT = const(1)
_IRQ_CENTRAL_DISCONNECT = const(2)
_IRQ_GATTS_WRITE = const(3)
_ADV_INTERVAL_US = const(250000)  # watches find a foot pod within a second or two at 4 Hz


class BluetoothRadio:
    def __init__(self, ble=None, name="Footfall"):
        self._ble = ble if ble is not None else bluetooth.BLE()
        self._name = name

    def start(self, services, handler):
        ble = self._ble
        self._handler = handler
        ble.active(True)
        ble.config(gap_name=self._name)
        ble.irq(self._irq)
        table = tuple(
            (bluetooth.UUID(uuid), tuple((bluetooth.UUID(c), flags) for c, flags in chars))
            for uuid, chars in services
        )
        return tuple(h for service in ble.gatts_register_services(table) for h in service)

    def _irq(self, event, data):
        # Runs in the stack's callback context: forward, and copy what the stack will reuse.
        h = self._handler
        if event == _IRQ_CENTRAL_CONNECT:
            h.on_connect(data[0])
        elif event == _IRQ_CENTRAL_DISCONNECT:
            h.on_disconnect(data[0])
        elif event == _IRQ_GATTS_WRITE:
            conn, attr = data[0], data[1]
            h.on_write(conn, attr, self._ble.gatts_read(attr))

    def advertise(self, adv_data, resp_data=None):
        self._ble.gap_advertise(_ADV_INTERVAL_US, adv_data, resp_data=resp_data)

    def set_value(self, handle, data):
        self._ble.gatts_write(handle, data)

    def notify(self, conn, handle, data):
        self._ble.gatts_write(handle, data, True)

    def indicate(self, conn, handle, data):
        # gatts_indicate sends the local value: set it first
        self._ble.gatts_write(handle, data)
        self._ble.gatts_indicate(conn, handle)
