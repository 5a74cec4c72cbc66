"""``enter`` on a step that sends a request: it sends until the answer is read, then
goes on; where only a new authorization helps, it goes to Authorize."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tui.core.steps import BY_STEP, Step

AUTHORIZE_AGAIN = Binding(
    "enter",
    f"go('{Step.AUTHORIZE.value}')",
    "Authorize",
    tooltip="When no usable token is left (a 401 without a refresh token, or a refresh "
    "token the provider refused): go and authorize again",
)
"""``enter`` where only a new authorization helps: put before a step's sending ``enter``."""


def enter_bindings(
    then: Step,
    when: str = "Once the answer is read",
    *,
    closed: bool = True,
    sends: str = "The request shown below",
) -> list[BindingType]:
    """``enter`` goes on to ``then`` once the step's answer is read, and sends until then.

    Bindings of one key: the first whose action ``check_action`` allows is the
    one that runs, and the one the footer shows. Sending shares ``s``'s
    action, so the footer shows it once, as ``⏎ Send``.

    Args:
        when: when it goes on, for the tooltip (and the reference's Keys).
        closed: also go to Refresh, or else Authorize, when a revocation has
            closed ``then`` (see ``HttpStepScreen.go_on``).
        sends: what ``Send`` sends, for the tooltip: the help's key list shows it
            alone, the bindings that go on hidden until the answer is read.
    """
    title = BY_STEP[then].title
    bindings: list[BindingType] = [
        Binding("enter", f"go('{then.value}')", title, tooltip=f"{when}: go on to {title}")
    ]
    for instead in (Step.REFRESH, Step.AUTHORIZE) if closed else ():
        if instead is not then:
            other = BY_STEP[instead].title
            bindings.append(
                Binding(
                    "enter",
                    f"go('{instead.value}')",
                    other,
                    tooltip=f"Instead, when {title} cannot open (no usable token for it), "
                    f"or the provider refused the grant sent: go on to {other}",
                )
            )
    bindings.append(Binding("enter", "send", "Send", tooltip=sends))
    return bindings
