"""`make deploy BOARD=NAME PORT=/dev/ttyACM0`: compile the firmware and copy it to a board.

    python -m host_tools.deploy --board esp32_devkitc --port /dev/ttyUSB0 [--no-reset]

The footfall package is compiled with mpy-cross for the board's CPU (nRF52840 armv7emsp,
ESP32 xtensawin, the sim board the host's) into build/deploy/BOARD/, next to main.py
(host_tools/upy/board_main.py) and the board's board.py; the sim board also gets the chip
fakes. mpremote then copies what changed (same SHA-256 on the board: skipped), removes stale
files under footfall/ (a leftover .py would shadow its .mpy), and soft-resets the board so
main.py starts the app. The board's own files (logs/, settings) are left alone.

`Link` is the mpremote connection that deploy and pull share (mpremote as a library).
"""

import argparse
import ast
import base64
import hashlib
import os
import shutil
import sys

from . import ROOT
from .mpy_size import compile_module, keeps_line_numbers

BOARDS = os.path.join(ROOT, "boards")
FIRMWARE = os.path.join(ROOT, "firmware")
ARCH_BY_MCU = {"nRF52840": "armv7emsp", "ESP32": "xtensawin", "unix port": "host"}
RADIO_MODULES = {
    "ubluepy": ("radio_ubluepy.py",),
    "bluetooth": ("radio_bluetooth.py",),
    "sim": ("sim_radio.py", "sim_central.py", "hci_log.py"),
}
# footfall/ports: the glue of one port; a board gets its own port's only
PORT_MODULES = {
    "nRF52840": ("nrf.py", "nrf_watchdog.py"),
    "ESP32": ("esp32.py",),
}
# the other end's side of the Bluetooth payloads (decoders, control-point requests): the host
# tools and tests use it, no board does
CENTRAL_ONLY = ("central.py",)
SIM_FAKES = ("__init__.py", "bus.py", "chip.py", "lsm6ds.py", "tracefile.py")
_CHUNK = 3072  # bytes per write command (sent as base64)


class DeployError(RuntimeError):
    pass


def board_names():
    return sorted(
        n for n in os.listdir(BOARDS) if os.path.isfile(os.path.join(BOARDS, n, "board.py"))
    )


def board_info(name):
    """(MCU, RADIO) read from boards/NAME/board.py without importing it."""
    if name not in board_names():  # a name, never a path: staging clears build/deploy/NAME
        raise DeployError(
            "unknown board %r: expected one of %s" % (name, ", ".join(board_names()))
        )
    path = os.path.join(BOARDS, name, "board.py")
    info = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.partition("=")
            if sep and key.strip() in ("MCU", "RADIO"):
                info[key.strip()] = value.split("#")[0].strip().strip("\"'")
    return info.get("MCU"), info.get("RADIO")


def stage(board, out=None):
    """Build the board's file tree (compiled firmware, main.py, board.py) in out; returns
    {path on the board: local file}."""
    mcu, radio = board_info(board)
    arch = ARCH_BY_MCU.get(mcu)
    if arch is None:
        raise DeployError("%s: no mpy-cross architecture known for MCU %r" % (board, mcu))
    out = out or os.path.join(ROOT, "build", "deploy", board)
    shutil.rmtree(out, ignore_errors=True)
    skip = {m for r, mods in RADIO_MODULES.items() if r != radio for m in mods}
    skip |= {m for c, mods in PORT_MODULES.items() if c != mcu for m in mods}
    skip |= set(CENTRAL_ONLY)
    files = {}
    for dirpath, dirnames, names in os.walk(os.path.join(FIRMWARE, "footfall")):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for n in sorted(names):
            if n.endswith(".py") and n not in skip:
                src = os.path.join(dirpath, n)
                rel = os.path.relpath(src, FIRMWARE)
                files[rel[:-3] + ".mpy"] = _compile(src, rel, arch, out)
    if board == "sim":
        for n in SIM_FAKES:
            rel = os.path.join("fakes", n)
            files[rel[:-3] + ".mpy"] = _compile(os.path.join(ROOT, "tests", rel), rel, arch, out)
    for name, src in (
        ("board.py", os.path.join(BOARDS, board, "board.py")),
        ("main.py", os.path.join(ROOT, "host_tools", "upy", "board_main.py")),
    ):
        shutil.copyfile(src, os.path.join(out, name))
        files[name] = os.path.join(out, name)
    return {k.replace(os.sep, "/"): v for k, v in files.items()}


def _compile(src, rel, arch, out):
    dst = os.path.join(out, rel[:-3] + ".mpy")
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    compile_module(
        src,
        arch,
        dst,
        source_name=rel.replace(os.sep, "/"),
        line_numbers=keeps_line_numbers(rel),
    )
    return dst


class Link:
    """mpremote's serial transport in raw REPL: Ctrl-C first stops the running app (which
    closes its logs), no soft reset on connect."""

    def __init__(self, port):
        from mpremote.transport import TransportError
        from mpremote.transport_serial import SerialTransport

        try:
            self.t = SerialTransport(port, baudrate=115200)
            self.t.serial.timeout = 1  # reads on a pty would block: let mpremote's timeouts work
            self.t.enter_raw_repl(soft_reset=False)
        except (TransportError, OSError) as e:
            raise DeployError("%s: cannot reach the board's REPL (%s)" % (port, e)) from None
        self.port = port

    def exec(self, code):
        from mpremote.transport import TransportExecError

        try:
            return self.t.exec(code).decode()
        except TransportExecError as e:
            raise DeployError("%s: the board said:\n%s" % (self.port, e.error_output)) from None

    def tree(self, path):
        """{path: size} of every file under path on the board ({} if it is not there)."""
        code = (
            "import os\ndef w(p):\n try:\n  l=list(os.ilistdir(p))\n except OSError:\n  return\n"
            " for e in l:\n  q=p+'/'+e[0]\n  if e[1]==0x4000:\n   w(q)\n"
            "  else:\n   print(repr((q,os.stat(q)[6])))\nw(%r)\n" % path
        )
        out = {}
        for line in self.exec(code).splitlines():
            if line.strip():
                name, size = ast.literal_eval(line)  # (str, int) printed by the board
                out[name] = size
        return out

    def read(self, path):
        code = (
            "import binascii,sys\nf=open(%r,'rb')\nwhile 1:\n b=f.read(1536)\n if not b:break\n"
            " sys.stdout.write(binascii.b2a_base64(b))\nf.close()\n" % path
        )
        return b"".join(base64.b64decode(x) for x in self.exec(code).split())

    def write(self, path, data):
        parts = path.split("/")
        for i in range(1, len(parts)):
            self.exec(
                "import os\ntry:\n os.mkdir(%r)\nexcept OSError:\n pass" % "/".join(parts[:i])
            )
        self.exec("import binascii\nf=open(%r,'wb')\nw=f.write\na=binascii.a2b_base64" % path)
        for i in range(0, len(data), _CHUNK):
            self.exec("w(a(%r))" % base64.b64encode(data[i : i + _CHUNK]).decode())
        self.exec("f.close()")

    def sha256(self, path):
        """The file's SHA-256 on the board, or None (no file, no hashlib)."""
        code = (
            "import hashlib,binascii\nh=hashlib.sha256()\nf=open(%r,'rb')\nwhile 1:\n"
            " b=f.read(512)\n if not b:break\n h.update(b)\nf.close()\n"
            "print(binascii.hexlify(h.digest()).decode())" % path
        )
        try:
            return bytes.fromhex(self.exec(code).strip())
        except (DeployError, ValueError):
            return None

    def remove(self, path):
        self.exec("import os\nos.remove(%r)" % path)

    def reset(self):
        """Leave the raw REPL and soft-reset: the board runs main.py again."""
        self.t.exit_raw_repl()
        self.t.serial.write(b"\x04")

    def close(self):
        self.t.close()


def mpy_mismatch(board_mpy, header):
    """Why a board whose sys.implementation._mpy is board_mpy cannot load a .mpy beginning with
    header (the engine's, which holds native code), or None. 0: the board does not say."""
    if not board_mpy:
        return None
    version, sub, arch = header[1], header[2] & 3, header[2] >> 2
    b_version, b_sub, b_arch = board_mpy & 0xFF, (board_mpy >> 8) & 3, board_mpy >> 10
    if (version, sub) != (b_version, b_sub):
        return (
            "the board's MicroPython loads .mpy v%d.%d; this firmware is compiled to v%d.%d: "
            "flash a MicroPython that loads v%d.%d (docs/boards.md)"
            % (b_version, b_sub, version, sub, version, sub)
        )
    if arch != b_arch:
        return "the board runs native code of architecture %d; this firmware's is %d" % (
            b_arch,
            arch,
        )
    return None


def deploy(board, port, reset=True, log=print):
    files = stage(board)
    link = Link(port)
    try:
        with open(files["footfall/gait/engine.mpy"], "rb") as f:
            header = f.read(3)
        said = link.exec("import sys\nprint(getattr(sys.implementation, '_mpy', 0))")
        why = mpy_mismatch(int(said.strip() or 0), header)
        if why:
            raise DeployError("%s: %s" % (port, why))
        copied = 0
        for top in ("footfall", "fakes"):
            for path in sorted(link.tree(top)):
                if path not in files:
                    link.remove(path)
                    log("removed  :%s" % path)
        for path, src in sorted(files.items()):
            with open(src, "rb") as f:
                data = f.read()
            if link.sha256(path) == hashlib.sha256(data).digest():
                continue
            link.write(path, data)
            copied += 1
            log("copied   :%s (%d bytes)" % (path, len(data)))
        log(
            "%s on %s: %d files copied, %d up to date" % (board, port, copied, len(files) - copied)
        )
        if reset:
            link.reset()
            log("soft reset: main.py starts the app")
    finally:
        link.close()
    return files


def add_parser(subparsers):
    p = subparsers.add_parser("deploy", help="compile the firmware and copy it to a board")
    _arguments(p)
    p.set_defaults(func=_run)
    return p


def _arguments(p):
    p.add_argument("--board", required=True, help="one of: %s" % ", ".join(board_names()))
    p.add_argument("--port", help="serial port (/dev/ttyACM0, COM3, a virtual board's pty)")
    p.add_argument("--no-reset", action="store_true", help="do not restart the app")
    p.add_argument("--stage-only", action="store_true", help="only build build/deploy/BOARD")


def _run(args):
    if args.stage_only:
        files = stage(args.board)
        print("%d files staged in build/deploy/%s" % (len(files), args.board))
        return 0
    if not args.port:
        raise DeployError(
            "give the board's serial port: make deploy BOARD=%s PORT=..." % args.board
        )
    deploy(args.board, args.port, reset=not args.no_reset)
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m host_tools.deploy", description=__doc__)
    _arguments(p)
    args = p.parse_args(argv)
    try:
        return _run(args)
    except (DeployError, OSError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
