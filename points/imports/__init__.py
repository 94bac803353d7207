"""Bringing people in: residents and their paper-card balances from an office's spreadsheet."""
