"""Seeing the scheme: the dashboard's figures and the monthly statement, read from aggregates."""
