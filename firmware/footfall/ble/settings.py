"""What the insole keeps across reboots: the stride calibration, the total distance and the
gyro's zero-rate offset as the gait engine learnt it (so that a board reset mid-run, with no
standing to learn it from, starts with it).

A small JSON file, written aside and then renamed over the old one, so a power cut leaves the
old settings or the new ones, never half a file. Where the filesystem cannot rename over an
existing file (FAT), the old file is removed first and the aside copy is what `load` falls back
to if the cut comes between the two steps.
"""

import json
import os

from micropython import const

_FORMAT = const(1)
_DEFAULT_STRIDE_FACTOR = const(1000)
STRIDE_FACTOR_MIN = const(200)  # the gait engine's accepted range, per mille
STRIDE_FACTOR_MAX = const(5000)
_TOTAL_MAX = const(0xFFFFFFFF)  # the RSC total distance field, 0.1 m


class Settings:
    def __init__(self, path="footfall_settings.json"):
        self.path = path
        self.stride_factor = _DEFAULT_STRIDE_FACTOR  # per mille
        self.total_dm = 0  # total distance, 0.1 m
        self.gyro_offset = (0, 0, 0)  # 0.01 deg/s
        self.error = None  # why the last load or save did not work, or None
        self.saves = 0

    def load(self):
        """Read the file; a missing or bad one leaves the defaults and says why in .error."""
        self.error = None
        for path in (self.path, self.path + ".new"):
            try:
                with open(path) as f:
                    data = json.load(f)
            except OSError:
                continue  # not there: try the aside copy, then keep the defaults
            except ValueError as e:
                self.error = "%s: not valid JSON (%s)" % (path, e)
                continue
            problem = self._take(data)
            if problem is None:
                self.error = None
                return self
            self.error = "%s: %s" % (path, problem)
        return self

    def _take(self, data):
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            return 'expected a JSON object with "format": %d' % _FORMAT
        factor = data.get("stride_factor")
        total = data.get("total_dm")
        if not isinstance(factor, int) or not STRIDE_FACTOR_MIN <= factor <= STRIDE_FACTOR_MAX:
            return "stride_factor must be an integer %d..%d (per mille), got %r" % (
                STRIDE_FACTOR_MIN,
                STRIDE_FACTOR_MAX,
                factor,
            )
        if not isinstance(total, int) or not 0 <= total <= _TOTAL_MAX:
            return "total_dm must be an integer 0..%d (0.1 m), got %r" % (_TOTAL_MAX, total)
        off = data.get("gyro_offset", [0, 0, 0])  # files from before it have none
        ok = isinstance(off, list) and len(off) == 3
        for v in off if ok else ():
            ok = ok and isinstance(v, int) and -5000 <= v <= 5000  # the gait engine's limit
        if not ok:
            return "gyro_offset must be 3 integers within +-5000 (0.01 deg/s), got %r" % (off,)
        self.stride_factor = factor
        self.total_dm = total
        self.gyro_offset = tuple(off)
        return None

    def save(self):
        """Write atomically; returns True, or False with the reason in .error (never raises)."""
        text = json.dumps(
            {
                "format": _FORMAT,
                "stride_factor": self.stride_factor,
                "total_dm": self.total_dm,
                "gyro_offset": list(self.gyro_offset),
            }
        )
        aside = self.path + ".new"
        try:
            with open(aside, "w") as f:
                f.write(text)
            try:
                os.rename(aside, self.path)
            except OSError:
                # FAT will not rename over a file: remove it, load() falls back to the aside
                os.remove(self.path)
                os.rename(aside, self.path)
        except OSError as e:
            self.error = "%s: cannot save (%s)" % (self.path, e)
            return False
        self.error = None
        self.saves += 1
        return True
