"""A year of venue sessions and bookings, and of claim decisions, for the dashboard to read: made from
the seeded ledger's own transfers, in SQL, once per stage (what is there already stays).

Every seeded hold becomes a booking of a session of its venue the day after it was made (09:00, 14:00
or 19:00 in the scheme's zone): posted holds are check-ins (one in ten a no-show, settled by the
venue's policy), released ones cancellations, open ones still booked. Every seeded award of a claim
counts as a decided claim in the counts the dashboard reads (points.earning.decision_totals), one in
eleven rejected, after a wait of up to two and a half days; the claims table itself is not seeded.
"""
ZONE = "Asia/Shanghai"
SLOTS = ("9 hours", "14 hours", "19 hours")
CAPACITY = 200

SESSIONS = f"""
INSERT INTO sessions (venue_id, starts_at, ends_at, capacity, cost, booked, created_at)
SELECT v.venue_id, (d.day + slot.at::interval) AT TIME ZONE '{ZONE}',
       (d.day + slot.at::interval + interval '1 hour') AT TIME ZONE '{ZONE}', {CAPACITY}, 10, 0, now()
FROM accounts v
CROSS JOIN (SELECT generate_series(date_trunc('day', min(created_at) AT TIME ZONE '{ZONE}') + interval '1 day',
                                   date_trunc('day', max(created_at) AT TIME ZONE '{ZONE}') + interval '1 day',
                                   interval '1 day') AS day FROM transfers WHERE kind = 'hold') d
CROSS JOIN (VALUES {", ".join(f"('{slot}')" for slot in SLOTS)}) AS slot(at)
WHERE v.kind = 'venue'
ON CONFLICT DO NOTHING
"""

BOOKINGS = f"""
WITH holds AS MATERIALIZED (
    SELECT id, debit_account_id, credit_account_id, created_at,
           (date_trunc('day', created_at AT TIME ZONE '{ZONE}') + interval '1 day'
            + (ARRAY[{", ".join(f"'{slot}'" for slot in SLOTS)}])[id % {len(SLOTS)} + 1]::interval)
           AT TIME ZONE '{ZONE}' AS starts_at
    FROM transfers WHERE kind = 'hold'
)
INSERT INTO bookings (session_id, user_id, status, hold_id, ticket_code, short_code, booked_by, created_at,
                      cancelled_at, used_at, used_by)
SELECT s.id, a.user_id,
       CASE WHEN r.kind = 'redemption' AND h.id % 10 = 0 THEN 'no_show'
            WHEN r.kind = 'redemption' THEN 'checked_in'
            WHEN r.kind = 'release' THEN 'cancelled' ELSE 'booked' END,
       h.id, 'bench-' || md5(h.id::text), upper(substr(md5('short' || h.id), 1, 12)), a.user_id, h.created_at,
       CASE WHEN r.kind = 'release' THEN r.created_at END,
       CASE WHEN r.kind = 'redemption' AND h.id % 10 <> 0 THEN r.created_at END,
       CASE WHEN r.kind = 'redemption' AND h.id % 10 <> 0 THEN r.requested_by END
FROM holds h
JOIN accounts a ON a.id = h.debit_account_id
JOIN accounts v ON v.id = h.credit_account_id
JOIN sessions s ON s.venue_id = v.venue_id AND s.starts_at = h.starts_at
LEFT JOIN transfers r ON r.pending_id = h.id
WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.hold_id = h.id)
ON CONFLICT DO NOTHING
"""

BOOKED = """
UPDATE sessions s SET booked = least(s.capacity, counted.places), checked_in = counted.checked_in,
                      no_shows = counted.no_shows
FROM (SELECT session_id, count(*) FILTER (WHERE status IN ('booked', 'checked_in', 'no_show')) AS places,
             count(*) FILTER (WHERE status = 'checked_in') AS checked_in,
             count(*) FILTER (WHERE status = 'no_show') AS no_shows
      FROM bookings GROUP BY session_id) counted
WHERE counted.session_id = s.id
"""

DECISIONS = f"""
INSERT INTO monthly_decisions (month, community_id, status, wait_hours, claims)
SELECT to_char(t.created_at AT TIME ZONE '{ZONE}', 'YYYY-MM'), coalesce(u.community_id, 0),
       CASE WHEN t.id % 11 = 0 THEN 'rejected' ELSE 'approved' END, (t.id * 7) % 60, count(*)
FROM transfers t JOIN accounts a ON a.id = t.credit_account_id JOIN users u ON u.id = a.user_id
WHERE t.kind = 'award' AND t.ref_type = 'claim'
GROUP BY 1, 2, 3, 4
"""


def seed_history(conn):
    """Sessions, bookings and claim decisions for the transfers seeded so far; returns the bookings."""
    with conn.cursor() as cur:
        cur.execute("ANALYZE transfers, accounts, sessions, bookings")  # after the COPY: plan for its size
        cur.execute(SESSIONS)
        cur.execute(BOOKINGS)
        cur.execute(BOOKED)
        cur.execute("DELETE FROM monthly_decisions")
        cur.execute(DECISIONS)
        cur.execute("SELECT count(*) FROM bookings")
        return cur.fetchone()[0]
