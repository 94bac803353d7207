"""Seeding the bench database directly with COPY: people first, then the ledger in stages."""
from bench.seed.ledger import LedgerSeeder  # noqa: F401
from bench.seed.people import People, seed_people, seed_tokens  # noqa: F401
