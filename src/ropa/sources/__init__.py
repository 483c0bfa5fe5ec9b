"""Load the exports in a data folder into canonical frames (see canonical.py).

``load_folder(data_dir)`` reads every file it recognises by its header and lists every
other file with the reason; ``load_file(path, data_dir)`` reads one. ``describe(src)``
summarises one loaded source for the ``ropa sources`` table. A ``sources.yaml`` in the
data folder may pin files to kinds and map columns (see sources_yaml.py).
"""

from ropa.sources.base import Inventory, LoadedSource, SkippedFile
from ropa.sources.canonical import KINDS, Kind
from ropa.sources.folder import describe, load_file, load_folder

__all__ = [
    "KINDS",
    "Inventory",
    "Kind",
    "LoadedSource",
    "SkippedFile",
    "describe",
    "load_file",
    "load_folder",
]
