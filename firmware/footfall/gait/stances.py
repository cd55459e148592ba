"""What the gait engine does at the end of a stride: a stance found.

These are the engine's rarer paths, split from its per-sample loop (engine.py); GaitEngine
inherits them. At a confirmed stance the stride is closed: its contact is found in the recent
samples (contact.py), its length comes from the strapdown, the step before it gets its toe-off,
gravity and the pitch axis are learnt, and the next stride begins.
"""

from array import array

from micropython import const

from .fixmath import icbrt16

_RUNNING = const(2)  # as in record.py
_UNKNOWN = const(-999999)  # as in record.py
_WALKING = const(1)  # as in record.py
_STAND = const(2)  # the engine's phase, as in engine.py: standing
_BIG = const(0x3FFFFFFF)
_STILL = const(60)  # as in engine.py: a motion level below it is still
_PK_MIN = const(300)  # a swing must move at least this much (motion units)
_MOVED_MM = const(120)  # with the pitch sign unknown: a step moves the foot this far or turns it
_MIN_SWING_MS = const(200)  # without a gyro: contact comes this long after push-off at least
_GUARD_NEW_MS = const(720)  # 0.6 of a 1.2 s stride
_LEVEL_STANCES = const(8)  # started in motion: the strapdown is levelled by this many stances
_KNOWN = const(3)  # _goff[3]: an offset is known (learnt while still, or given): offset.py


class StrideEnds:
    def _stance_init(self, rate_hz):
        # the stance search: its timing, the motion level, and what it has found
        self._seek_at = 0
        self._restart_at = 0
        self._still_n = max(2, rate_hz * 40 // 1000)  # 40 ms of stillness confirms a stance
        self._stand_n = rate_hz * 3 // 2  # 1.5 s of it is standing
        self._ms = 0
        self._still_run = 0
        self._a2p = -1  # the last sample's squared acceleration (-1: none yet)
        self._guessed = 0  # stances left to level the strapdown by, if it was levelled by guess
        self._ph = _STAND
        self._pk = 0
        self._vmin = _BIG
        self._t_rise = -1
        self._t_v = -1  # quietest sample of the stance being confirmed
        self._t_q = -1  # the first sample about as quiet as the quietest: contact is before it
        self._n_q = 0
        self._q_gap = False
        self._n_seek = 0  # where the search for the stance began: the impact is just before
        self._raw_v = 0
        self._va = array("i", bytes(4 * 3))
        self._still_known = False  # without a gyro: the last stance was still, gravity known
        self._jref = 0  # without a gyro: the heel strike's jump before a quiet stance, or 0
        self._qref = 0  # the quietest sample of the last stance that was clearly a stance
        self._t_vprev = -1
        self._have_prev = False
        self._seek_toe_off(-1, -1)

    def _seek_min(self, t, n, ms, ax, ay, az, a2):
        # A quieter sample while seeking the stance; returns the quietest so far. A candidate
        # needs the foot at its stance attitude (gravity within 30 deg of the stance's): the
        # lull in mid-swing can be as quiet as a stance, but there the foot is pitched far from
        # flat. With the pitch sign known, it must also follow mid-swing: the quiet, level
        # moment in the middle of a walking swing is not one.
        vmin = self._vmin
        u = self._u
        if u[3]:
            dot = (ax * u[0] + ay * u[1] + az * u[2]) >> 14
            if dot <= 0 or dot * dot < (a2 >> 2) * 3:
                return vmin
        pt = self._pt
        if ms >= _STILL and pt is not None and pt.sign != 0 and pt.ev < 1:
            return vmin
        if self._q_gap or ms + (vmin >> (self._decay + 1)) < vmin:
            # clearly quieter than before (this sample's motion under half the level: the
            # level falls by 2**-decay of the gap per sample), or after a break: where the
            # stance begins, as far as the contact search goes (standing after the last step,
            # the quietest sample creeps on for as long as the motion level settles)
            self._q_gap = False
            self._n_q = n
            self._t_q = t
        self._vmin = ms
        self._t_rise = -1
        self._t_v = t
        va = self._va
        va[0] = ax
        va[1] = ay
        va[2] = az
        if pt is not None:
            self._raw_v = pt.raw
            self._sd.snapshot(ax, ay, az, self._snap)
        return ms

    def _on_valley(self):
        t_v = self._t_v
        pt = self._pt
        is_step = self._pk >= _PK_MIN and self._have_prev
        stride_mm = _UNKNOWN
        ic = -1
        if pt is not None:
            # no stance has levelled a frame that was levelled by a guess: the stride began
            # in motion (where the engine started), and its length is not known
            guessed = self._guessed == _LEVEL_STANCES
            # Without a known offset the frame tilts by it every stride: a still stance (its
            # force at the quietest sample is gravity within 3%: a walker's) levels the frame,
            # however far, and once the steps are known to be walking, the tilt since the
            # stance before teaches the offset (offset.py). A runner's stance is not still:
            # its force tilts by 5-10 deg from stride to stride, more than an offset turns it.
            log = self._log
            still = (
                not self._goff[_KNOWN]
                and log.activity != _RUNNING
                and self._force_off_g2() < (self._g2 >> 4)
            )
            relevel = (self._guessed or still) and self._level_by_stance()
            ms = self._t_v - self._t_vprev if self._t_vprev >= 0 else 0
            length = self._sd.close_stride(self._snap, relevel, ms)
            if still and log.activity == _WALKING and self._sd.tilt_n:
                self._offset_from_tilt(self._sd.tilt, self._sd.tilt_n)
            if pt.sign != 0:
                # a swing turns the foot toes-up at mid-swing; a jolt in the stance does not
                is_step = pt.ev >= 1 and self._have_prev
            elif is_step:
                # Before the sign is known, a swing still moves the foot: a jolt while it
                # stands (a slow walker's stance is long: the other foot's strike, the weight
                # shifting) can stir the motion level as much as a shuffling step, but moves
                # the foot neither 12 deg nor 12 cm.
                is_step = pt.turned() or length >= _MOVED_MM
            if length >= 0 and is_step and not guessed:
                stride_mm = length * self.stride_factor // 1000
            pt.vote(self._raw_v)
        else:
            still = self._vmin <= _STILL
            if not still and self._t_rise < 0 and self._force_off_g2() < (self._g2 >> 4):
                # Quiet for 400 ms with no rise (_plateau), its force 1 g within 3%: the foot
                # stood at its stance attitude, far from the gravity learnt (learnt as the foot
                # tilted slowly before its first step, or at a lull in a swing when started in
                # motion). It is still, and its attitude is gravity: learnt afresh below.
                still = True
                self._g_seen = False
            is_step = self._moved(still) and is_step
            self._still_known = still and self._u[3]
            # a quiet stance is a walker's: the jump before it tells the swing's lulls (_lull)
            self._jref = self._jolt(self._ri, self._n) if still else 0
            if self._sn:
                # the stride model's measure: (mean of |a^2 - g^2| >> 12) << 12, under 2**30
                self._log.energy16 = icbrt16(((self._se << 2) // self._sn) << 12)
        self._learn_gravity(True)
        if is_step:
            log = self._log
            if log.pending:
                if pt is not None and pt.ev >= 1 and pt.t_to >= 0:
                    log.close(pt.t_to)
                else:
                    log.close(max(self._t_to_end, self._t_to_acc))
            ic = self._open_step(stride_mm)
        if pt is not None:
            pt.end_stride(self._raw_v)
        # No stride is shorter than 0.6 of the last ones (or 0.4 s): a jolt in mid-stance cannot
        # make a new one. Without a gyro, after a walker's still stance, 0.7: the lull in
        # mid-swing comes 0.55 to 0.65 of a stride after it, and a slow walker's lull can be
        # as quiet as a stance.
        log = self._log
        stride = log.stride_ms()
        st = stride * (7 if self._still_known else 6) // 10
        if st > _GUARD_NEW_MS and log.timed < 4:
            # the first stride timed may span a missed stance; a guard set by it would miss
            # every other stance from then on
            st = _GUARD_NEW_MS
        if self._pt is None:
            # toe-off comes about a quarter of a stride after the stance's quietest sample
            # when running, a half when walking; past that lies the swing. In the first four
            # strides 400 ms at least: the stride timed may be short (a lull in a swing found
            # as a stance), and a window cut short by it took a jolt in mid-stance for the
            # push-off, a walking contact 150-230 ms short (gaitmap's walk turned other ways)
            walk = log.activity != _RUNNING
            part = stride * (55 if walk else 35) // 100
            if part <= (200 if log.timed >= 4 else 400):
                part = 400
            until = t_v + part
            # but before the next contact, whatever the stance's quietest sample (early in a
            # stance or late, near heel-off): toe-off is at 60-65% of a walking stride from
            # contact (once strides are timed: the first may span a missed stance)
            if walk and ic >= 0 and log.timed >= 4:
                part = ic + stride * 4 // 5
                if part < until:
                    until = part
                    walk = False  # no push-off end sought past it either (below)
            # the push-off's end (below) may come after the window: sought for 150 ms more
            # when walking (three times the 40-50 ms from peak to end; walk is 0 or 1). Not
            # when running: on PyShoe a runner's push-off ends late, and contacts then came out
            # longer than half the stride (docs/engine.md, item 4). Nor past 0.8 of a walking
            # stride from contact: a push-off peak found at that edge was still rising, and
            # its "end" made a contact 1046 ms long in a stride of 1337 (gaitmap's ic_stride)
            self._seek_toe_off(until, until + 150 * walk)
        self._begin_stride(t_v, 400 if st < 400 else st)
        self._have_prev = True

    def _after_rise(self, ri, n, vmin, pk):
        # The foot has moved again for a while with no quieter sample: the quietest one was the
        # stance, if it was quiet enough compared with the swing, or about as quiet as the last
        # clear stance (sampled at 100 Hz, a short running stance is less quiet and the swing's
        # peak lower than at 200 Hz; a lull in mid-swing is still several times noisier than a
        # stance). False: back to the swing.
        pt = self._pt
        if pt is None and self._lull(ri, n, vmin):
            return False  # no impact before it: a slow walker's mid-swing
        if pt.sign == 0 if pt is not None else not self._u[3]:
            # No pitch sign yet (no mid-swing to seek from), or without a gyro no gravity yet
            # (no stance attitude): in the engine's first strides a foot pausing before it
            # lands can be as quiet as a stance. But a stance follows its impact; an impact in
            # the rise (its last 100 ms, _RISE_MS) over twice the strongest jump of the 400 ms
            # before the quiet sample means it came before the landing.
            if self._cf.strongest_jump(ri, 0, self._hz // 10) > 2 * self._jolt(ri, n):
                return False
        if vmin <= (pk >> 4) or vmin <= _STILL:
            self._qref = vmin
            return True
        return vmin <= self._qref + (self._qref >> 2)  # or a lull within the swing

    def _plateau(self, vmin, pk):
        # Quiet for a while, if not perfectly still: a stance if as quiet as a stance is (below,
        # with a gyro: in a slow walk's swing the motion level can stay that low for that long
        # too). Without a gyro, a stance at 100 Hz can be as loud as that lull: 6 times quieter
        # than the swing's peak is one (the lull is 3-6 times, a stance 9 or more), but only
        # after a still stance with gravity known (with gravity wrong, every stance is loud
        # and only confirming them puts it right).
        qref = self._qref
        return (
            vmin <= (pk >> 4)
            or vmin <= qref + (qref >> 2)
            or (self._pt is None and (6 * vmin <= pk or not self._still_known))
        )

    def _jolt(self, ri, n):
        # the strongest jump of the acceleration in the 400 ms up to the stance's first quiet
        # sample (ri, n: the ring's next index and the sample number, as the loop has them)
        return self._cf.strongest_jump(ri, n - self._n_q, self._hz * 2 // 5)

    def _level_by_stance(self):
        # The engine started in motion and levelled the strapdown by a guess; the tilt
        # correction at each stance turns the frame by at most 10 deg, not enough for that. So
        # the first stances whose force is about 1 g turn the frame by it, however far.
        va = self._va
        a2 = va[0] * va[0] + va[1] * va[1] + va[2] * va[2]
        if (self._g2 >> 1) < a2 < (self._g2 << 1):
            if self._guessed:
                self._guessed -= 1
            return True
        return False

    def _open_step(self, stride_mm):
        # The contact lies before the stance's first quiet sample, and not before 150 ms after
        # the last stance. With the pitch sign known, the search takes all of that: it finds
        # the toe-off and mid-swing in it, and the contact after them. Without, the contact is
        # taken to be within 300 ms before the swing settled (where the search for the stance
        # began).
        rate = self._hz
        cf = self._cf
        pt = self._pt
        sign = 0 if pt is None else pt.sign
        t_q = self._t_q
        back = self._n - self._n_q
        late = back - (cf.n - 2)
        if late > 0:
            # the stance was confirmed late: search what the ring still holds
            back -= late
            t_q += late * 1000 // rate
        span = (t_q - self._t_vprev - 150) * rate // 1000
        if sign == 0:
            seek = rate * 3 // 10 + self._n - back - self._n_seek
            if seek < span:
                span = seek
            # No contact in the first _MIN_SWING_MS after this swing's push-off: a slow
            # walker's push-off jolts harder than their gentle heel strike. Unless that leaves
            # under 200 ms before the stance settles: then the "push-off" was this contact's
            # own impact (the toe-off window reached it) or the stride is not a whole one. And
            # only once a stride is timed or the stance is still: an engine started in motion,
            # its gravity unsure, has no push-off to trust. (None found: _UNKNOWN is far out.)
            after = t_q - self._t_to_acc - _MIN_SWING_MS
            if 200 <= after < 2000 and (self._log.timed or self._still_known):
                seek = after * rate // 1000
                if seek < span:
                    span = seek
        if back + span >= cf.n:
            span = cf.n - back - 1
        if span < 1:
            span = 1
        cf.find(self._ri, back, span, sign)
        ic = t_q - (cf.at + cf.lead) * 1000 // rate
        self._log.open(ic, stride_mm, cf.angle, cf.impact_mg)
        return ic
