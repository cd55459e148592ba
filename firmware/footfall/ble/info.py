"""Battery Level 0x2A19 (Battery service 0x180F) and Device Information 0x180A payloads."""

MANUFACTURER = "Footfall project"
MODEL = "Footfall insole"


def encode_battery(percent):
    """Battery Level: u8 percent, clamped to 0..100."""
    p = int(percent)
    return bytes((0 if p < 0 else (100 if p > 100 else p),))


def device_info(firmware=None):
    """(manufacturer, model, firmware revision) as the UTF-8 bytes the characteristics hold."""
    if firmware is None:
        from footfall import VERSION as firmware
    return MANUFACTURER.encode(), MODEL.encode(), firmware.encode()
