"""Clearing at year end: the expiry policy, its runs (previewed, asked for, approved by a second admin)."""
