"""The Footfall form service: running-form metrics no SIG service carries, once a second.

UUIDs (random, generated once for Footfall; never change them, a new layout gets a new one):
  service      7343b610-d7c5-4157-a195-092c81398ee3
  measurement  9043005b-23c3-439b-a4f2-d036f50b24de  (notify)
  recording    5e87b72f-c545-46fc-9b37-d19381a38e57  (read, write; see recording.py)
Form Measurement, little-endian, 11 bytes:
  flags u8      bit 0 shares, bit 1 contact time, bit 2 impact, bit 3 strike angle present
  heel u8 %, mid u8 %, fore u8 %   foot-strike shares over the last `window` steps
  window u8     how many steps with a known strike type the shares cover
  contact u16   ground contact time, ms (smoothed)
  impact u16    peak acceleration at contact, mg (smoothed)
  angle s16     foot pitch at contact, 0.1 deg, toes up positive (smoothed)
"""

import struct

from micropython import const

from .rsc import clamp

FORM_SERVICE_UUID = "7343b610-d7c5-4157-a195-092c81398ee3"
FORM_MEASUREMENT_UUID = "9043005b-23c3-439b-a4f2-d036f50b24de"
RECORDING_UUID = "5e87b72f-c545-46fc-9b37-d19381a38e57"

FORM_SHARES = const(0x01)
FORM_CONTACT = const(0x02)
FORM_IMPACT = const(0x04)
FORM_ANGLE = const(0x08)
FORM_SIZE = const(11)
FORM_LAYOUT = "<BBBBBHHh"


def encode_form(buf, heel_pct, mid_pct, fore_pct, window, contact_ms, impact_mg, angle_decideg):
    """Pack a Form Measurement into buf (>= FORM_SIZE bytes); None marks a value unknown.
    Shares are sent only when window > 0. Returns FORM_SIZE."""
    flags = 0
    if window > 0:
        flags |= FORM_SHARES
    else:
        heel_pct = mid_pct = fore_pct = 0
    if contact_ms is None:
        contact_ms = 0
    else:
        flags |= FORM_CONTACT
    if impact_mg is None:
        impact_mg = 0
    else:
        flags |= FORM_IMPACT
    if angle_decideg is None:
        angle_decideg = 0
    else:
        flags |= FORM_ANGLE
    struct.pack_into(
        FORM_LAYOUT,
        buf,
        0,
        flags,
        clamp(heel_pct, 100),
        clamp(mid_pct, 100),
        clamp(fore_pct, 100),
        clamp(window, 255),
        clamp(contact_ms, 0xFFFF),
        clamp(impact_mg, 0xFFFF),
        max(-32768, min(angle_decideg, 32767)),
    )
    return FORM_SIZE
