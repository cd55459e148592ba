# The board's main.py: `make deploy` copies this file to the board as main.py, next to
# board.py (that board's boards/NAME/board.py) and the compiled footfall package. The board
# runs it at every reset; Ctrl-C (mpremote, `python -m host_tools pull`) stops the app with
# its logs closed. Also runs the sim board from the source tree:
#   MICROPYPATH=firmware:tests:boards/sim micropython host_tools/upy/board_main.py
import board
from footfall.app import main

main(board)
