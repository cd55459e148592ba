"""record.py is the one definition of a step record's fields and codes; the modules that fill
or read records on the board fold them in as private constants (an imported name would be
looked up at run time, and named again in each module's .mpy). They must be the same numbers."""

import importlib

import pytest
from footfall.gait import record as R

PUBLIC = {k: v for k, v in vars(R).items() if k.isupper() and isinstance(v, int)}


@pytest.mark.parametrize(
    "module",
    ["gait.steps", "gait.stances", "gait.contact", "live", "pipeline"],
)
def test_the_modules_record_constants_are_record_pys(module):
    mod = importlib.import_module("footfall." + module)
    copies = {k[1:]: v for k, v in vars(mod).items() if k.startswith("_") and k[1:] in PUBLIC}
    assert copies, "%s.py uses no record constant" % module
    assert copies == {k: PUBLIC[k] for k in copies}
    # and none of them is imported by name instead
    assert not any(k in PUBLIC for k in vars(mod)), module
