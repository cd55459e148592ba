"""What RSC sensors send, as rows to print and log: the monitor's decoding and CSV log.

Payloads are decoded by the firmware's own modules (footfall.ble), the ones the tests check.
"""

import csv
import os

from . import ROOT  # noqa: F401  (puts firmware/ on sys.path)


def sig_uuid(short):
    return "0000%04x-0000-1000-8000-00805f9b34fb" % short


RSC_SERVICE = sig_uuid(0x1814)
RSC_MEASUREMENT = sig_uuid(0x2A53)
RSC_FEATURE = sig_uuid(0x2A54)
SENSOR_LOCATION = sig_uuid(0x2A5D)
SC_CONTROL_POINT = sig_uuid(0x2A55)
FOOTFALL_COMPANY = 0xFFFF
CSV_FIELDS = (
    "time_s",
    "address",
    "source",
    "speed_mps",
    "cadence_spm",
    "stride_m",
    "distance_m",
    "running",
    "heel_pct",
    "mid_pct",
    "fore_pct",
    "contact_ms",
    "impact_g",
    "steps",
)


def classify(name, manufacturer_data, service_uuids):
    """(kind, broadcast): kind is "footfall", "rsc" or None; broadcast a decoded dict or None."""
    from footfall.ble.central import decode_broadcast_payload

    broadcast = None
    payload = (manufacturer_data or {}).get(FOOTFALL_COMPANY)
    if payload is not None:
        try:
            broadcast = decode_broadcast_payload(bytes(payload))
        except ValueError:
            broadcast = None  # someone else's test data under the unassigned company ID
    if broadcast is not None or (name or "").startswith("Footfall"):
        return "footfall", broadcast
    if RSC_SERVICE in [u.lower() for u in service_uuids or ()]:
        return "rsc", None
    return None, None


def measurement_row(data):
    """An RSC Measurement -> the CSV/printing fields."""
    from footfall.ble.central import decode_measurement
    from footfall.ble.rsc import FLAG_RUNNING

    flags, speed, cadence, stride, total = decode_measurement(bytes(data))
    return {
        "speed_mps": round(speed / 256, 3),
        "cadence_spm": cadence,
        "stride_m": None if stride is None else stride / 100,
        "distance_m": None if total is None else total / 10,
        "running": int(bool(flags & FLAG_RUNNING)),
    }


def form_row(data):
    from footfall.ble.central import decode_form

    f = decode_form(bytes(data))
    impact = f["impact_mg"]
    return {
        "heel_pct": f["heel_pct"],
        "mid_pct": f["mid_pct"],
        "fore_pct": f["fore_pct"],
        "contact_ms": f["contact_ms"],
        "impact_g": None if impact is None else impact / 1000,
    }


def format_row(row):
    def num(key, fmt, unit=""):
        v = row.get(key)
        return "-" if v is None else (fmt % v) + unit

    text = "%s  %s  %s  stride %s  dist %s" % (
        num("speed_mps", "%.2f", " m/s"),
        num("cadence_spm", "%d", " spm"),
        "run " if row.get("running") else "walk",
        num("stride_m", "%.2f", " m"),
        num("distance_m", "%.1f", " m"),
    )
    if row.get("heel_pct") is not None or row.get("contact_ms") is not None:
        text += "  strike h/m/f %s/%s/%s%%  contact %s  impact %s" % (
            num("heel_pct", "%d"),
            num("mid_pct", "%d"),
            num("fore_pct", "%d"),
            num("contact_ms", "%d", " ms"),
            num("impact_g", "%.1f", " g"),
        )
    if row.get("steps") is not None:
        text += "  steps %d" % row["steps"]
    return text


class CsvLog:
    """One row per measurement, flushed as it comes (a crash keeps what was logged). The file
    (and its folder) is created with the first row, so a run that finds nothing leaves nothing
    behind; an earlier run's log is never overwritten: the new one goes to NAME_2.csv, ..."""

    def __init__(self, path, out=None):
        self.path = path
        self.rows = 0
        self._out = out
        self._f = None
        self._w = None

    def write(self, row):
        self.rows += 1
        if not self.path:
            return
        if self._f is None:
            self._open()
            self._w = csv.DictWriter(self._f, CSV_FIELDS, extrasaction="ignore")
            self._w.writeheader()
        self._w.writerow({k: ("" if v is None else v) for k, v in row.items()})
        self._f.flush()

    def _open(self):
        folder = os.path.dirname(self.path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        stem, ext = os.path.splitext(self.path)
        path, k = self.path, 1
        while True:
            try:
                self._f = open(path, "x", newline="", encoding="utf-8")
                break
            except FileExistsError:
                k += 1
                path = "%s_%d%s" % (stem, k, ext)
        if path != self.path and self._out is not None:
            self._out("%s exists: logging to %s" % (self.path, path))
        self.path = path

    def close(self):
        if self._f is not None:
            self._f.close()
