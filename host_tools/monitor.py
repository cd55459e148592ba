"""`python -m host_tools monitor`: watch a Footfall insole, or any RSC foot pod, from a laptop.

Scans for Footfall insoles and any other Running Speed and Cadence sensor, connects to one,
subscribes to its measurements (and to the Footfall form service when there is one), prints
speed, cadence, stride, distance and form once a second and logs them to CSV. `--listen`
never connects: it decodes the Footfall broadcast that insoles send while advertising.
`--calibrate DIST_M` runs the calibration through the SC Control Point (see docs/ble.md).
Rows and the CSV log: host_tools/monitor_rows.py.
"""

import asyncio
import contextlib
import math
import os
import sys
import time

from . import ROOT  # noqa: F401  (puts firmware/ on sys.path)
from .monitor_rows import (
    RSC_FEATURE,
    RSC_MEASUREMENT,
    SC_CONTROL_POINT,
    SENSOR_LOCATION,
    CsvLog,
    classify,
    form_row,
    format_row,
    measurement_row,
)


class NoAdapterError(RuntimeError):
    """There is no usable Bluetooth adapter on this machine."""


def _is_no_adapter(e):
    from bleak.exc import BleakBluetoothNotAvailableError, BleakDBusError, BleakError

    if isinstance(e, (BleakBluetoothNotAvailableError, FileNotFoundError, ConnectionRefusedError)):
        return True  # (on Linux the last two: no D-Bus system bus, so no BlueZ)
    if isinstance(e, BleakDBusError):
        return "ServiceUnknown" in e.dbus_error or "NoReply" in e.dbus_error
    return isinstance(e, BleakError) and "adapter" in str(e).lower()


async def scan(seconds, scanner_cls, on_found=None):
    """Scan; returns {address: (name, kind, rssi, broadcast)} of the running sensors seen."""
    found = {}

    def detected(device, adv):
        kind, broadcast = classify(
            adv.local_name or device.name, adv.manufacturer_data, adv.service_uuids
        )
        if kind is None:
            return
        found[device.address] = (adv.local_name or device.name, kind, adv.rssi, broadcast)
        if on_found is not None:
            on_found(device.address, kind, broadcast)

    try:
        async with scanner_cls(detection_callback=detected):
            await asyncio.sleep(seconds)
    except Exception as e:
        _raise_no_adapter(e)
        raise
    return found


def _raise_no_adapter(e):
    if _is_no_adapter(e):
        raise NoAdapterError(
            "no Bluetooth adapter found (%s: %s)" % (type(e).__name__, e)
        ) from None


@contextlib.asynccontextmanager
async def _connected(client_cls, address):
    # as `async with client_cls(address)`, but a missing adapter is said as such
    client = client_cls(address)
    try:
        await client.__aenter__()
    except Exception as e:
        _raise_no_adapter(e)
        raise
    try:
        yield client
    except BaseException:
        await client.__aexit__(*sys.exc_info())
        raise
    await client.__aexit__(None, None, None)


async def follow(client_cls, address, seconds, log, out, calibrate_m=None, wait_done=None):
    """Connect, subscribe, print and log until `seconds` have passed (None: until Ctrl-C)."""
    from footfall.ble.central import decode_feature, decode_location
    from footfall.ble.form import FORM_MEASUREMENT_UUID
    from footfall.ble.rsc import FEATURE_DISTANCE

    latest = {}
    got = asyncio.Event()
    t0 = time.monotonic()

    def on_rsc(_, data):
        try:
            latest.update(measurement_row(data))
        except ValueError as e:
            out("bad RSC Measurement: %s" % e)
            return
        row = dict(latest, time_s=round(time.monotonic() - t0, 3), address=address, source="gatt")
        log.write(row)
        out(format_row(row))
        got.set()

    def on_form(_, data):
        try:
            latest.update(form_row(data))
        except ValueError as e:
            out("bad Form Measurement: %s" % e)

    async with _connected(client_cls, address) as client:
        features = decode_feature(await client.read_gatt_char(RSC_FEATURE))
        where = decode_location(await client.read_gatt_char(SENSOR_LOCATION))
        out(
            "connected to %s: RSC features 0x%04x, sensor location %d" % (address, features, where)
        )
        await client.start_notify(RSC_MEASUREMENT, on_rsc)
        if client.services.get_characteristic(FORM_MEASUREMENT_UUID) is not None:
            await client.start_notify(FORM_MEASUREMENT_UUID, on_form)
        if calibrate_m is not None:
            if not features & FEATURE_DISTANCE:
                raise RuntimeError(
                    "%s reports no total distance: it cannot be calibrated this way" % address
                )
            await asyncio.wait_for(got.wait(), 10)
            await run_calibration(client, calibrate_m, latest, out, wait_done)
        await asyncio.sleep(seconds if seconds is not None else 1e9)


async def run_calibration(client, distance_m, latest, out, wait_done=None):
    """Start Sensor Calibration; the runner covers distance_m; Set Cumulative Value ends it."""
    from footfall.ble import central, control

    answers = asyncio.Queue()
    await client.start_notify(
        SC_CONTROL_POINT, lambda _, d: answers.put_nowait(central.decode_response(d))
    )

    async def ask(op, value=None):
        await client.write_gatt_char(
            SC_CONTROL_POINT, central.encode_request(op, value), response=True
        )
        req, result, _ = await asyncio.wait_for(answers.get(), 30)
        if req != op or result != control.RESULT_SUCCESS:
            raise RuntimeError("control point refused op 0x%02x: result %d" % (op, result))

    start_dm = int(round(latest["distance_m"] * 10))
    await ask(control.OP_START_CALIBRATION)
    out("calibration started at %.1f m: run %g m, then press Enter" % (start_dm / 10, distance_m))
    if wait_done is None:
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    else:
        await wait_done()
    value = start_dm + int(round(distance_m * 10))
    await ask(control.OP_SET_CUMULATIVE, value)
    out("calibration sent: total distance set to %.1f m" % (value / 10))
    return value


async def listen(seconds, scanner_cls, log, out):
    """Decode Footfall broadcasts without connecting."""
    t0 = time.monotonic()
    last_seq = {}

    def on_found(address, kind, b):
        if b is None or last_seq.get(address) == b["seq"]:
            return
        last_seq[address] = b["seq"]
        total = b["heel"] + b["mid"] + b["fore"]
        row = {
            "time_s": round(time.monotonic() - t0, 3),
            "address": address,
            "source": "broadcast",
            "speed_mps": b["speed_mps"],
            "cadence_spm": b["cadence_spm"],
            "running": int(b["running"]),
            "contact_ms": b["contact_ms"],
            "steps": b["steps"],
        }
        if total:
            for key in ("heel", "mid", "fore"):
                row[key + "_pct"] = round(100 * b[key] / total)
        log.write(row)
        out("%s %s" % (address, format_row(row)))

    return await scan(seconds, scanner_cls, on_found)


async def run(args, scanner_cls=None, client_cls=None, out=print, wait_done=None):
    if scanner_cls is None or client_cls is None:
        from bleak import BleakClient, BleakScanner

        scanner_cls = scanner_cls or BleakScanner
        client_cls = client_cls or BleakClient
    log = CsvLog(args.csv, out)
    try:
        if args.listen:
            found = await listen(args.seconds or 30.0, scanner_cls, log, out)
            if not found:
                raise RuntimeError("no Footfall broadcast heard")
            return 0
        address = args.address
        if address is None:
            found = await scan(args.scan_seconds, scanner_cls)
            if not found:
                raise RuntimeError(
                    "no running sensor found in %g s of scanning" % args.scan_seconds
                )
            for addr, (name, kind, rssi, b) in found.items():
                heard = ""
                if b is not None:
                    heard = ": broadcast v%d, %d steps, %.0f spm" % (
                        b["version"],
                        b["steps"],
                        b["cadence_spm"],
                    )
                out("found %s %s (%s, RSSI %s)%s" % (kind, addr, name, rssi, heard))
            address = sorted(found, key=lambda a: found[a][1] != "footfall")[0]
        await follow(client_cls, address, args.seconds, log, out, args.calibrate, wait_done)
        return 0
    finally:
        log.close()


def add_parser(subparsers):
    """Register `monitor` on the host_tools argument parser."""
    p = subparsers.add_parser("monitor", help="watch a Footfall insole or any RSC foot pod")
    p.add_argument("--address", help="connect to this device instead of scanning for one")
    p.add_argument("--scan-seconds", type=float, default=5.0)
    p.add_argument("--seconds", type=float, default=None, help="stop after this long")
    p.add_argument("--csv", default="monitor.csv", help="log file ('' for none)")
    p.add_argument(
        "--listen", action="store_true", help="only decode the Footfall broadcast; never connect"
    )
    p.add_argument(
        "--calibrate",
        type=float,
        default=None,
        metavar="DIST_M",
        help="calibrate: start standing, run DIST_M metres, press Enter",
    )
    p.set_defaults(func=cmd_monitor)
    return p


def check_args(args):
    """Refuse what would only fail after a run (ValueError naming the option)."""
    for option, value in (("--scan-seconds", args.scan_seconds), ("--seconds", args.seconds)):
        if value is not None and not (math.isfinite(value) and value > 0):
            raise ValueError("%s: expected seconds above 0, got %g" % (option, value))
    if args.calibrate is not None and not (math.isfinite(args.calibrate) and args.calibrate > 0):
        raise ValueError(
            "--calibrate: expected a distance in metres above 0, got %g" % args.calibrate
        )
    if args.csv:
        if os.path.isdir(args.csv):
            raise ValueError("--csv %s: it is a folder; expected a file name" % args.csv)
        folder = os.path.dirname(os.path.abspath(args.csv))
        while not os.path.exists(folder):
            folder = os.path.dirname(folder)
        if not os.path.isdir(folder):
            raise ValueError("--csv %s: %s is a file, not a folder" % (args.csv, folder))


def cmd_monitor(args):
    check_args(args)
    try:
        return asyncio.run(run(args))
    except NoAdapterError as e:
        print(
            "error: %s. The monitor needs a Bluetooth LE adapter (and, on Linux, BlueZ "
            "running)." % e,
            file=sys.stderr,
        )
        return 3
    except KeyboardInterrupt:
        return 0
