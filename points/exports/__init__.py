"""Exports: the scheme's lists as CSV and XLSX, streamed, scoped by the exporter's role."""
