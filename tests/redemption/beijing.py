"""Beijing wall-clock times for tests: bj("2026-06-10 19:00") is an aware datetime in Asia/Shanghai."""
from datetime import datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def bj(text):
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)
