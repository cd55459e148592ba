"""Writing output files so that nothing is ever half-written, and failing early when a path
cannot be written: the laptop tools' outputs (traces, events, truth, plots, captures)."""

import os


def atomic_write(path, text):
    """Write text to path so that a reader sees the old file or the whole new one, never half."""
    path = os.fspath(path)
    tmp = path + ".part"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException as e:  # Ctrl-C too: no half-written .part stays behind
        _remove(tmp)
        if not isinstance(e, OSError):
            raise
        why = _unwritable(path) or e.strerror or str(e)
        raise OSError("%s: cannot write: %s" % (path, why)) from None


def stamp_holds(path, want):
    """Whether the stamp file at path holds want: what a folder of made files was made from
    (written with atomic_write once they are all made)."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read() == want
    except OSError:
        return False


def check_output(path, inputs=()):
    """Fail early, naming path, if a file cannot be written there (before a long replay), or
    if it is one of the inputs (the output would replace it)."""
    why = _unwritable(os.fspath(path))
    for src in inputs:
        if src and os.path.exists(path) and os.path.samefile(path, src):
            why = "it is the input file %s; expected another file name" % src
    if why:
        raise OSError("%s: cannot write: %s" % (path, why))


def _unwritable(path):
    folder = os.path.dirname(path) or "."
    if os.path.isdir(path):
        return "it is a folder; expected a file name"
    if os.path.exists(folder) and not os.path.isdir(folder):
        return "%s is a file, not a folder" % folder
    if not os.path.isdir(folder):
        return "no folder %s" % folder
    if not os.access(folder, os.W_OK):
        return "the folder %s is not writable" % folder
    return None


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass
