"""The floor of `make bench`: read every export of a generated folder once, with pandas.

What any audit must at least do: parse every file. CSV goes through
``pandas.read_csv(engine="pyarrow", dtype_backend="pyarrow")``, Parquet through
``pandas.read_parquet(dtype_backend="pyarrow")``. The arguments (delimiter, encoding)
come from the folder's ``manifest.json``, as an analyst who knows the exports would pass
them; nothing is guessed from file names. The pyarrow engine reads UTF-8 only, so a
cp1252 file is decoded to UTF-8 in memory first (what pandas' C engine would do).
A file with line breaks inside quoted values (Envoy notes, form messages) makes
the pyarrow engine fail, and pandas cannot pass pyarrow's ``newlines_in_values``: such a
file is read by ``pyarrow.csv.read_csv(newlines_in_values=True)`` and converted with
``types_mapper=pd.ArrowDtype``, which is what that pandas call does internally.
XLSX and JSONL are read with their pandas readers. All frames stay alive until the end,
as they would in an analysis session holding every export.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd
import pyarrow.csv as pacsv


def read(path: Path, info: dict) -> pd.DataFrame:
    fmt = info["format"]
    if fmt == "csv":
        encoding = info.get("encoding") or "utf-8"
        sep = info.get("delimiter") or ","
        source: Path | io.BytesIO = path
        if encoding not in ("utf-8", "utf-8-sig"):
            source = io.BytesIO(path.read_bytes().decode(encoding).encode("utf-8"))
        try:
            return pd.read_csv(source, sep=sep, engine="pyarrow", dtype_backend="pyarrow")
        except pd.errors.ParserError:
            # quoted line breaks: pandas cannot pass pyarrow's newlines_in_values, so call
            # pyarrow as pandas does, with that option
            if isinstance(source, io.BytesIO):
                source.seek(0)
            table = pacsv.read_csv(
                source,
                parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            )
            print(f"{path.name}: quoted line breaks, read with newlines_in_values", flush=True)
            return table.to_pandas(types_mapper=pd.ArrowDtype)
    if fmt == "parquet":
        return pd.read_parquet(path, dtype_backend="pyarrow")
    if fmt == "xlsx":
        return pd.read_excel(path)
    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype_backend="pyarrow")
    raise ValueError(fmt)


def main(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    frames = {rel: read(folder / rel, info) for rel, info in sorted(manifest["files"].items())}
    rows = sum(len(f) for f in frames.values())
    print(f"{len(frames)} files, {rows:,} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
