"""Radio backend on `ubluepy`, the nRF port's BLE module (which has no `bluetooth` module).

Thin like radio_bluetooth. What ubluepy cannot do, and what this backend does instead:
- Characteristic.write() on a notifying characteristic sends a notification (the SoftDevice
  refuses it, with an OSError, while the client has not enabled it); there is no indication
  at all, so the SC Control Point is declared notify+write here and its response goes out as a
  notification. Watches that insist on the indication will time out on calibration requests.
- advertise() has no scan response: the Footfall broadcast is not sent on this port.
- Characteristics expose no handle attribute; repr() prints it ("handle: 0x0c"), which is
  read once at start to map the stack's write events to characteristics.
"""

from ubluepy import UUID, Characteristic, Peripheral, Service, constants

_NOTIFY = Characteristic.PROP_NOTIFY
_INDICATE = Characteristic.PROP_INDICATE


def _handle_of(obj):
    text = repr(obj)
    i = text.find("handle: 0x")
    if i < 0:
        raise ValueError("ubluepy: no handle in %r" % text)
    i += 10
    j = i
    while j < len(text) and text[j] in "0123456789abcdefABCDEF":
        j += 1
    return int(text[i:j], 16)


def _uuid(value):
    return UUID(value)


class UbluepyRadio:
    def __init__(self, name="Footfall"):
        self._name = name
        self._periph = Peripheral()
        self._chars = {}  # value handle -> Characteristic
        self._conn = None

    def start(self, services, handler):
        self._handler = handler
        handles = []
        for uuid, chars in services:
            service = Service(_uuid(uuid))
            for cuuid, props in chars:
                if props & _INDICATE:
                    props = (props & ~_INDICATE) | _NOTIFY
                attrs = Characteristic.ATTR_CCCD if props & _NOTIFY else 0
                char = Characteristic(_uuid(cuuid), props=props, attrs=attrs)
                service.addCharacteristic(char)
                handle = _handle_of(char)
                self._chars[handle] = char
                handles.append(handle)
            self._periph.addService(service)
        self._periph.setConnectionHandler(self._event)
        return tuple(handles)

    def _event(self, event, handle, data):
        h = self._handler
        if event == constants.EVT_GAP_CONNECTED:
            self._conn = handle
            h.on_connect(handle)
        elif event == constants.EVT_GAP_DISCONNECTED:
            self._conn = None
            h.on_disconnect(handle)
        elif event == constants.EVT_GATTS_WRITE and handle in self._chars:
            h.on_write(self._conn, handle, bytes(data) if data is not None else b"")

    def advertise(self, adv_data, resp_data=None):
        # data only: ubluepy then sends exactly these bytes (flags and name included)
        self._periph.advertise(data=bytes(adv_data))

    def set_value(self, handle, data):
        char = self._chars[handle]
        if not char.properties() & _NOTIFY:
            char.write(data)

    def notify(self, conn, handle, data):
        self._chars[handle].write(data)

    def indicate(self, conn, handle, data):
        self._chars[handle].write(data)
