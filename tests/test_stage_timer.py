"""The stage timer of benchmarks/bench_stages.py: exclusive time per stage, hooks put back afterwards."""

from __future__ import annotations

import time

from benchmarks.stage_timer import Label, StageTimer


def inner() -> str:
    time.sleep(0.02)
    return "inner"


def outer() -> str:
    time.sleep(0.01)
    return inner() + " in outer"


class Stages:
    @classmethod
    def made(cls) -> str:
        return "made"


def test_a_stage_called_inside_another_counts_only_to_itself() -> None:
    timer = StageTimer()
    hooks = [("tests.test_stage_timer:outer", "outer"), ("tests.test_stage_timer:inner", "inner")]
    with timer.hooked(hooks):
        started = time.perf_counter()
        assert globals()["outer"]() == "inner in outer"
        wall = time.perf_counter() - started
    assert timer.seconds["inner"] >= 0.02 and timer.seconds["outer"] >= 0.01
    assert timer.seconds["outer"] + timer.seconds["inner"] <= wall  # counted once, not twice
    assert dict(timer.calls) == {"tests.test_stage_timer:outer": 1, "tests.test_stage_timer:inner": 1}


def test_hooks_are_put_back_and_a_missing_one_is_reported() -> None:
    before = (outer, Stages.__dict__["made"])
    timer = StageTimer()
    hooks: list[tuple[str, Label]] = [
        ("tests.test_stage_timer:Stages.made", lambda current, args: f"made under {current}"),
        ("tests.test_stage_timer:no_such_function", "nothing"),
        ("no_such_module:anything", "nothing"),
    ]
    with timer.hooked(hooks):
        assert Stages.made() == "made"
    assert list(timer.seconds) == ["made under None"]
    assert timer.missing == ["tests.test_stage_timer:no_such_function", "no_such_module:anything"]
    assert (outer, Stages.__dict__["made"]) == before
