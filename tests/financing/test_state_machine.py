"""The state machine as WORKFLOW.md declares it: the terminal states end the application's life."""
from financing.models import TERMINAL_STATES, TRANSITION_NAMES, PledgeApplication, State


def _sources(name: str) -> set[str]:
    return set(getattr(PledgeApplication, name)._django_fsm.transitions)


def test_no_transition_leaves_a_terminal_state():
    assert {s.value for s in TERMINAL_STATES} == {"rejected", "released", "disposed", "withdrawn"}
    for name in TRANSITION_NAMES:
        assert not _sources(name) & set(TERMINAL_STATES), name


def test_every_other_state_has_a_way_out():
    leaving = set().union(*(_sources(name) for name in TRANSITION_NAMES))
    assert set(State.values) - set(TERMINAL_STATES) <= leaving
