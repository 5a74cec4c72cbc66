"""The Call API step of a session: the console's request with the access token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.errors import ApiError
from tui.core.session_base import SessionBase, masks_errors
from tui.core.steps import Step

if TYPE_CHECKING:
    from tui.core.console import ApiCall
    from tui.core.exchange import Exchange


class ConsoleSteps(SessionBase):
    """The API console's first call, its request, and one line about its answer."""

    def default_api_call(self) -> ApiCall:
        """What the API console starts with: a GET of the profile endpoint."""
        from tui.core.console import default_call

        return default_call(self.provider)

    @masks_errors
    def prepare_api_call(self, call: ApiCall) -> Exchange:
        """The console's call, with the access token as Bearer.

        Raises:
            CallInputError: the input cannot make a request (the message says why).
            InsecureTransportError: plain http to a host that is not loopback.
        """
        from tui.core.console import api_request

        self.take_newer_tokens()
        return self._prepare(Step.CONSOLE, api_request(self.state, call))

    @masks_errors
    def finish_api_call(self, exchange: Exchange) -> str:
        """One line about the console call's answer (status, type, size), masked.

        Raises:
            ApiError: refused; ``token_expired`` tells the screen to offer a refresh, and
                the token sent is remembered as ``refused_access``.
        """
        from tui.core.console import read_api_answer

        try:
            return self.mask(read_api_answer(self._response(exchange)))
        except ApiError as err:
            self.note_refused_access(exchange, err)
            raise
