# Footfall: `make replay` and `make test` are all a newcomer needs (Python 3.11).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DATASETS ?= ../shared/datasets

.PHONY: all venv replay test test-cpython test-micropython lint bench accuracy debian deploy clean

all: test

# MicroPython port stubs for the type checks of board code: both ports install the same module
# names (machine, time, ...), so each goes into its own folder.
STUBS := nrf esp32
STUBS_VERSION := 1.29.0.post1

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	for port in $(STUBS); do $(BIN)/pip install --quiet --target $(VENV)/mpy-stubs/$$port \
	  micropython-$$port-stubs==$(STUBS_VERSION) || exit 1; done
	touch $(STAMP)

venv: $(STAMP)

# Replay the bundled running excerpt and print its summary.
replay: $(STAMP)
	mkdir -p build
	$(PY) -m host_tools replay tests/data/pyshoe_run_excerpt.csv --events build/pyshoe_run_excerpt.events.csv

test: test-cpython test-micropython

test-cpython: $(STAMP)
	$(PY) -m pytest -q

# The engine's own tests, run again by the MicroPython unix port.
test-micropython: $(STAMP)
	MICROPYPATH=firmware:tests/upy:tests $(BIN)/micropython -X heapsize=2M tests/upy/run.py

# Debian tools some tests use (tshark decodes the simulated BLE capture); needs root.
debian:
	command -v tshark >/dev/null || (apt-get update && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y tshark)

lint: $(STAMP)
	$(BIN)/ruff check firmware host_tools tests boards
	$(BIN)/ruff format --check firmware host_tools tests boards

bench: $(STAMP)
	$(PY) -m host_tools.bench

accuracy: $(STAMP)
	$(PY) -m host_tools accuracy --datasets $(DATASETS)

# Compile the firmware for BOARD and copy it with mpremote to the board on PORT, e.g.
#   make deploy BOARD=seeed_xiao_nrf52840_sense PORT=/dev/ttyACM0
# (a virtual board: `python -m host_tools board`, then BOARD=sim PORT=/dev/pts/N). docs/boards.md
deploy: $(STAMP)
	@test -n "$(BOARD)" -a -n "$(PORT)" || (echo "usage: make deploy BOARD=<board> PORT=<serial port>" >&2; exit 2)
	$(PY) -m host_tools.deploy --board $(BOARD) --port $(PORT)

clean:
	rm -rf build .pytest_cache .ruff_cache
