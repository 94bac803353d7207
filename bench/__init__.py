"""The benchmark behind `make bench`: a seeded PostgreSQL ledger, gunicorn, and wrk.

    bench.settings   what to measure, from BENCH_* environment variables
    bench.database   a fresh database with the real migrations; VACUUM; `ledger verify`
    bench.seed       residents, venues, tokens and a hash-chained ledger, written with COPY
    bench.server     gunicorn serving `points:create_app()` against the bench database
    bench.scenarios  what wrk drives: a name, a wrk script and its arguments per scenario
    bench.load       running wrk and reading its figures
    bench.report     the tables printed at the end
    bench.run        all of the above, stage by stage (python -m bench.run)
"""
