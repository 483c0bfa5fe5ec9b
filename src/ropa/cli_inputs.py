"""The `ropa` commands that read the policy or the exports without auditing them: policy,
sources, map, samples, suites."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ropa.cli_common import (
    LangOpt,
    PolicyOpt,
    _data_dir,
    _lang,
    _parse_date,
    _policy,
    _read,
    console,
)
from ropa.errors import UsageError, printable
from ropa.outputs import check_output


def policy(
    out: Annotated[Path, typer.Option("--out", help="Workbook to write (.xlsx).")],
    policy_file: PolicyOpt = None,
    lang: LangOpt = "en",
) -> None:
    """Write the ROPA and the policy gaps, from the policy alone, to an Excel workbook."""
    from ropa.report.excel import write_policy_workbook

    language = _lang(lang)
    pol = _policy(policy_file)
    check_output(out, option="--out", folder=False, inputs=[pol.path])
    write_policy_workbook(pol, out, lang=language)
    console.print(f"wrote {printable(out)} ({len(pol.activities)} activities)")


def _read_folder(data_dir: Path, policy_file: Path | None) -> tuple[Any, Any]:
    """The policy and every export of ``data_dir`` read (with progress on a terminal)."""
    from ropa.reading import read_folder

    pol, folder = _policy(policy_file), _data_dir(data_dir)
    return pol, _read(lambda progress: read_folder(folder, tz=pol.timezone, progress=progress))


def sources(
    data_dir: Annotated[Path, typer.Argument(help="Folder with the exports.")],
    policy_file: PolicyOpt = None,
) -> None:
    """List the files in DATA_DIR: detected kind, encoding, delimiter, rows, dates, problems."""
    from ropa.views import sources_table

    _, read = _read_folder(data_dir, policy_file)
    console.print(sources_table(read.inventory))


def map_(
    data_dir: Annotated[Path, typer.Argument(help="Folder with the exports.")],
    policy_file: PolicyOpt = None,
) -> None:
    """Print the data map: every column, its data category, activity and whether declared."""
    from ropa.views import data_map_table

    pol, read = _read_folder(data_dir, policy_file)
    console.print(data_map_table(read.data_map(pol)))


def samples(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the sample exports to.")],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same bytes).")] = 7,
    as_of: Annotated[str, typer.Option("--as-of", help="Audit date the samples target.")] = (
        "2026-09-30"
    ),
    scale: Annotated[float, typer.Option(help="Row multiplier (1 = a few thousand).")] = 1.0,
) -> None:
    """Generate realistic sample exports with planted violations and a manifest.json."""
    from ropa_samples import write_samples

    if scale <= 0:
        raise UsageError(f"--scale must be positive, got {scale}")
    day = _parse_date(as_of)
    check_output(out_dir, option="OUT_DIR", folder=True, files=["manifest.json"])
    manifest = write_samples(out_dir, seed=seed, as_of=day, scale=scale)
    rows = sum(f["rows"] for f in manifest["files"].values())
    console.print(f"wrote {len(manifest['files'])} files, {rows:,} rows to {printable(out_dir)}")


def suites(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the suite JSON.")] = Path(
        "expectations"
    ),
    policy_file: PolicyOpt = None,
) -> None:
    """Generate the Great Expectations suites (one JSON per source kind) from the policy."""
    from ropa.suites import write_suites

    pol = _policy(policy_file)
    check_output(out_dir, option="--out", folder=True, inputs=[pol.path])
    written = write_suites(pol, out_dir)
    console.print(f"wrote {len(written)} suites to {printable(out_dir)}")
