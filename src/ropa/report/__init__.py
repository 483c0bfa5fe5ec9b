"""Report writers: the Excel ROPA and audit workbook (charts live in ``report.charts``)."""

from ropa.report.excel import escape_cell, write_audit_workbook, write_policy_workbook

__all__ = ["escape_cell", "write_audit_workbook", "write_policy_workbook"]
