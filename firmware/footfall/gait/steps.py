"""From one stride's measurements to a finished step record, and the queue the caller drains.

A step is opened at the stance that follows its contact (when the contact, the stride length and
the foot-strike angle are known) and closed one stride later, when the toe-off that ended its
contact has been seen, or when the foot stands still, or at the end of the input.
"""

from array import array

from micropython import const

# record.py's fields and codes, as constants the compiler folds in (imported, each would be a
# name looked up at run time); tests/test_engine_records.py checks that they agree
_IC_MS = const(0)
_TO_MS = const(1)
_GCT_MS = const(2)
_STRIKE = const(3)
_CADENCE = const(4)
_STRIDE_MM = const(5)
_SPEED_MMPS = const(6)
_ACTIVITY = const(7)
_IMPACT_MG = const(8)
_STRIKE_DECIDEG = const(9)
_CADENCE_AVG = const(10)
_N_FIELDS = const(11)
_UNKNOWN = const(-999999)
_STRIKE_HEEL = const(1)
_STRIKE_MID = const(2)
_STRIKE_FORE = const(3)
_WALKING = const(1)
_RUNNING = const(2)

_N_RECORDS = const(8)  # finished steps waiting for the caller
_HEEL_DECIDEG = const(80)  # foot-strike angle above 8 deg: rearfoot (Altman & Davis 2012)
_FORE_DECIDEG = const(-16)  # below -1.6 deg: forefoot
_STRIDE_MIN_MS = const(250)
_STRIDE_MAX_MS = const(2500)  # a longer interval between contacts is a stop, not a cadence
_RUN_CADENCE = const(1400)  # without a contact time: 140 steps/min and above is running
_RUN_CADENCE_SURE = const(1500)
_RUN_CADENCE_MIN = const(1100)  # below it, a short contact means a pause in the stride
_SLOW_STRIDE_MS = const(1000)  # no runner strides slower (120 steps/min)
# Stride model without a gyro (stride_factor scales it for the user): the foot swings on the
# leg like a pendulum, so its speed goes with the square root of its acceleration times the
# leg's length (the user's part). The energy the engine measures, the mean |a^2 - g^2| over the
# stride, grows between the square and the fourth power of that acceleration: the stride is
# its cube root times the stride time.
_MODEL_PM = const(551)  # per mille: midway (geometric) between two subjects' medians


class StepLog:
    def __init__(self, model_factor=0):
        self.model_factor = model_factor  # per mille; 0: strides are measured, not modelled
        self.strides = 0
        self.distance_mm = 0
        self.cadence = 0  # smoothed, 0.1 steps/min
        self.speed_mmps = 0
        self.activity = _UNKNOWN
        self.gct_ms = _UNKNOWN  # of the last finished step
        self.overruns = 0
        self.energy16 = 0  # the stride's energy, cube root in 1/16ths (the engine sets it)
        self._e16 = 0  # smoothed over the strides timed
        self._stride16 = 0  # smoothed stride time, ms * 16
        self.timed = 0  # strides timed since the last stop
        self._ic_prev = -1
        self._pend = array("i", [_UNKNOWN] * _N_FIELDS)
        self.pending = False
        self._recs = array("i", [_UNKNOWN] * (_N_FIELDS * _N_RECORDS))
        self._head = 0
        self.count = 0

    def open(self, ic, stride_mm, angle, impact_mg):
        """A new step: contact time (ms), stride length (mm), strike angle (0.1 deg), impact."""
        rec = self._pend
        rec[_IC_MS] = ic
        rec[_TO_MS] = _UNKNOWN
        rec[_GCT_MS] = _UNKNOWN
        rec[_STRIKE_DECIDEG] = angle
        strike = _STRIKE_MID
        if angle == _UNKNOWN:
            strike = _UNKNOWN
        elif angle > _HEEL_DECIDEG:
            strike = _STRIKE_HEEL
        elif angle < _FORE_DECIDEG:
            strike = _STRIKE_FORE
        rec[_STRIKE] = strike
        rec[_IMPACT_MG] = impact_mg
        rec[_STRIDE_MM] = stride_mm
        rec[_CADENCE] = _UNKNOWN
        rec[_SPEED_MMPS] = _UNKNOWN
        rec[_ACTIVITY] = _UNKNOWN
        if self._ic_prev >= 0:
            st = ic - self._ic_prev
            if _STRIDE_MIN_MS <= st <= _STRIDE_MAX_MS:
                rec[_CADENCE] = 1200000 // st
                self.timed += 1
                if self._stride16 == 0:
                    self._stride16 = st << 4
                else:
                    self._stride16 += ((st << 4) - self._stride16) >> 2
                self.cadence = 19200000 // self._stride16
                e = self.energy16
                if e:  # without a gyro (the engine measures it only then)
                    if not self._e16:
                        self._e16 = e
                    # Over a second long with 8/5 of the strides' energy: no runner strides
                    # that slowly, and no walker's stride gains that much. A slow walker broke
                    # into a run, and each two running strides pass for one walking stride
                    # (close's rule below needs the gyro's toe-off). Time them afresh from
                    # this contact (it is a real one).
                    if 5 * e > 8 * self._e16 and st > _SLOW_STRIDE_MS and self.timed > 4:
                        self._stride16 = self.timed = 0
                    self._e16 += (e - self._e16) >> 2
                    if stride_mm == _UNKNOWN:
                        # ms * 1/16 units // 1000 * per mille // 1000: under 2**30 all the way
                        stride_mm = e * st // 1000 * _MODEL_PM // 1000
                        stride_mm = stride_mm * self.model_factor // 1000
                        rec[_STRIDE_MM] = stride_mm
                if stride_mm != _UNKNOWN:
                    rec[_SPEED_MMPS] = stride_mm * 1000 // st
        rec[_CADENCE_AVG] = self.cadence if self._stride16 else _UNKNOWN
        self._ic_prev = ic
        self.pending = True
        self.strides += 1

    def close(self, t_to):
        """Finish the open step with the toe-off that ended its contact (or _UNKNOWN)."""
        rec = self._pend
        ic = rec[_IC_MS]
        fresh = False
        if t_to != _UNKNOWN and t_to > ic + 40:
            rec[_TO_MS] = t_to
            rec[_GCT_MS] = t_to - ic
        st = _UNKNOWN if rec[_CADENCE] == _UNKNOWN else 1200000 // rec[_CADENCE]
        if rec[_GCT_MS] != _UNKNOWN and st != _UNKNOWN:
            # running has a flight phase: the foot is on the ground less than half the stride
            # (but nobody runs at 100 steps/min: a stride that long held a pause); and nobody
            # walks at 150 steps/min, whatever a contact time measured long says
            # (without a gyro, toe-off is found late if at all, by up to 75 ms where the sensor
            # sits high on the shoe: such a runner's contact looks longer; a walker's is 0.58 of
            # the stride or more)
            run = rec[_GCT_MS] * 2 < st + (st >> 3 if self.model_factor else 0)
            run = run and rec[_CADENCE] >= _RUN_CADENCE_MIN
            run = run or rec[_CADENCE] >= _RUN_CADENCE_SURE
            rec[_ACTIVITY] = _RUNNING if run else _WALKING
            # Under a third of a stride over a second long: no walker's contact (over half)
            # and no runner strides that slowly. A walker broke into a run, or the stride was
            # two: the engine seeks no stance before 0.6 of the stride, and so, timed by such
            # strides, would pass every other running stance by. Time them afresh (the next
            # step has no cadence). Only with a gyro, whose toe-off is the pitch rate's: from
            # the acceleration it is too often early (a jolt in a slow walker's stance).
            fresh = rec[_GCT_MS] * 3 < st and st > _SLOW_STRIDE_MS and not self.model_factor
        elif rec[_CADENCE] != _UNKNOWN:
            rec[_ACTIVITY] = _RUNNING if rec[_CADENCE] >= _RUN_CADENCE else _WALKING
        self.activity = rec[_ACTIVITY]
        self.gct_ms = rec[_GCT_MS]
        if rec[_STRIDE_MM] != _UNKNOWN:
            self.distance_mm += rec[_STRIDE_MM]
        if rec[_SPEED_MMPS] != _UNKNOWN:
            self.speed_mmps = rec[_SPEED_MMPS]
        self._push(rec)
        self.pending = False
        if fresh:
            self.stop()

    def stride_ms(self):
        """Smoothed time between contacts of this foot, or 0 before there are two."""
        return self._stride16 >> 4

    def stop(self):
        """The foot stands still or samples are missing: the next contact has no cadence."""
        if self.pending:
            self.close(_UNKNOWN)
        self._ic_prev = -1
        self._stride16 = 0
        self.timed = 0

    def _push(self, rec):
        if self.count == _N_RECORDS:
            self._head = (self._head + 1) % _N_RECORDS
            self.count -= 1
            self.overruns += 1
        base = ((self._head + self.count) % _N_RECORDS) * _N_FIELDS
        recs = self._recs
        for k in range(_N_FIELDS):
            recs[base + k] = rec[k]
        self.count += 1

    def pop(self, out):
        if self.count == 0:
            return False
        base = self._head * _N_FIELDS
        recs = self._recs
        for k in range(_N_FIELDS):
            out[k] = recs[base + k]
        self._head = (self._head + 1) % _N_RECORDS
        self.count -= 1
        return True


class Results:
    """What the engine reports, read from its step log (a mixin of GaitEngine)."""

    @property
    def strides_(self):
        """Steps of the instrumented foot."""
        return self._log.strides

    @property
    def steps_(self):
        """Steps of both feet: twice the instrumented foot's."""
        return 2 * self._log.strides

    @property
    def distance_mm_(self):
        return self._log.distance_mm

    @property
    def cadence_(self):
        """Smoothed cadence, both feet, 0.1 steps/min (0 before the second step)."""
        return self._log.cadence

    @property
    def speed_mmps_(self):
        return self._log.speed_mmps

    @property
    def activity_(self):
        return self._log.activity

    @property
    def gct_ms_(self):
        return self._log.gct_ms

    @property
    def gyro_offset_(self):
        """The gyro's zero-rate offset (x, y, z) in 0.01 deg/s, as learnt while standing still
        (or as given); pass it to the next engine with the same IMU. (0, 0, 0) until then: what
        walking taught is less sure, and would be taken for known.)"""
        b = self._gbias
        if not self._goff[3]:  # no offset known (offset.py _KNOWN)
            return (0, 0, 0)
        return (b[0], b[1], b[2])

    @property
    def gravity_mg_(self):
        """Gravity (x, y, z) in mg in the sensor's axes, at the stance, as learnt (or given);
        pass it to the next engine on the same foot. (0, 0, 0) until known."""
        if not self._u[3]:
            return (0, 0, 0)
        return (self._gvx, self._gvy, self._gvz)

    @property
    def overruns_(self):
        """Finished steps lost because nobody popped them."""
        return self._log.overruns

    def pop(self, out):
        """Copy the oldest finished step into `out` (_N_FIELDS ints); False if there is none."""
        return self._log.pop(out)

    def flush(self):
        """End of input: finish the step still waiting for its toe-off."""
        if self._log.pending:
            self._log.close(_UNKNOWN)
        return self._log.count
