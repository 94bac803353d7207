"""The seed writes tables directly, so it checks them first: a migration that adds a required
column should stop the bench with a message naming it, not with a COPY error."""


class SchemaChanged(RuntimeError):
    pass


def table_columns(cur, table):
    """{column: required}, where required means NOT NULL without a default."""
    cur.execute(
        "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'"
        " FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s",
        (table,),
    )
    return dict(cur.fetchall())


def check_copy(cur, table, columns):
    """Refuse to COPY into `table` if it lacks one of `columns` or requires another."""
    existing = table_columns(cur, table)
    unknown = [c for c in columns if c not in existing]
    missing = [c for c, required in existing.items() if required and c not in columns]
    if unknown or missing:
        raise SchemaChanged(
            f"the schema of {table} changed (the seed writes {', '.join(unknown) or 'nothing'} it lacks; "
            f"it requires {', '.join(missing) or 'nothing'} the seed does not write): update bench/seed/"
        )


def insert(cur, table, row):
    """INSERT one row, leaving out the keys the table does not have (yet)."""
    existing = table_columns(cur, table)
    values = {k: v for k, v in row.items() if k in existing}
    check_copy(cur, table, list(values))
    names, slots = ", ".join(values), ", ".join(["%s"] * len(values))
    cur.execute(f"INSERT INTO {table} ({names}) VALUES ({slots})", list(values.values()))
