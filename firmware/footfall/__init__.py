"""Footfall: firmware for a smart running insole. The gait engine is footfall.gait."""

VERSION = "0.1.0"
