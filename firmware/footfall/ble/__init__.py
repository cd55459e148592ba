"""Footfall over Bluetooth LE: the SIG Running Speed and Cadence service and friends.

Pure payload modules (run on CPython and MicroPython, import no radio):
  rsc      RSC Measurement 0x2A53, RSC Feature 0x2A54, Sensor Location 0x2A5D
  control  SC Control Point 0x2A55: requests, responses and the server-side handler
  adv      advertising data and the connectionless manufacturer-data broadcast
  form     the Footfall form service (128-bit UUIDs): strike shares, contact time, impact
  info     Battery Level 0x2A19 and Device Information 0x180A
  gatt     the GATT table every backend registers
  settings calibration factor and total distance kept across reboots
  peripheral  the protocol logic, over one small radio interface
  central  the other end: decoders of all the above, control-point requests (host and
           tests only; not deployed, as the insole only encodes)
Radio backends (thin): radio_bluetooth (MicroPython `bluetooth`), radio_ubluepy (nRF port),
sim_radio + sim_central + hci_log (host and unix port: a simulated air that writes a pcap).

Nothing here is imported by this package's __init__, so a board loads only what it uses.
"""
