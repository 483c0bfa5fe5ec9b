"""Deterministic sample exports with planted violations, near misses and a manifest.

``write_samples(out_dir, seed=7, as_of=date(2026, 9, 30), scale=1.0)`` writes one export
of every supported format (Mailchimp, HubSpot EN/NO, Eventbrite, Envoy CSV/XLSX, contact
form, GA4 JSONL/Parquet, the rights-request log) and ``manifest.json``: the files with
their kind and row count, every (rule, source, row) the rules must flag and every
(UNDECLARED-DATA, source, column), the near misses that must not be flagged, and the
persons found in several sources. One module per vendor; ``truth`` evaluates DESIGN.md's
rule table on the written rows to produce the planted lists.
"""

from ropa_samples.build import write_samples

__all__ = ["write_samples"]
