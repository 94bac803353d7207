"""What wrk drives. A scenario is a name, a method and path, and a wrk Lua script with its arguments.

The first scenario is the baseline every other is compared with, in the same run and on the same
server. To add one (the check-in of the redemption issue, say): write its Lua script under
bench/lua/, make anything it needs in `prepare` (tickets, staff tokens, written to files under
bench/out/), and append it to SCENARIOS with its target ratio.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"


@dataclass(frozen=True)
class Context:
    """What the seed made that scenarios may use: files of tokens and the like."""

    tokens_file: Path
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    target: float | None = None  # the least requests/s as a share of the baseline's
    script: Path = LUA / "request.lua"
    uses_tokens: bool = False
    # Called once per stage, after seeding and before the server starts, with an open psycopg
    # connection (committed afterwards) and the Context; may add files to context.extra.
    prepare: Callable | None = None

    def script_args(self, context):
        args = [self.method, self.path]
        if self.uses_tokens:
            args.append(str(context.tokens_file))
        return args

    @property
    def label(self):
        return f"{self.method} {self.path}"


SCENARIOS = [
    Scenario("healthz", "GET", "/healthz"),  # the baseline: one SELECT 1
    Scenario("me", "GET", "/api/v1/me", target=0.6, uses_tokens=True),
]
