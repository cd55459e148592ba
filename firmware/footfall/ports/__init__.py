"""The thinnest port glue that board files share: one module per MicroPython port, imported by
boards/*/board.py at run time only (each touches the `machine` module)."""
