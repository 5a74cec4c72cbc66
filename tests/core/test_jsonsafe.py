"""JSON from outside is read with a nesting limit, never a RecursionError."""

from __future__ import annotations

import pytest

from tui.core import jsonsafe


@pytest.mark.parametrize("opener,closer", [("[", "]"), ('{"a":', "}")])
def test_a_hundred_thousand_levels_is_refused_not_a_recursion_error(
    opener: str, closer: str
) -> None:
    deep = opener * 100_000 + "1" + closer * 100_000
    with pytest.raises(jsonsafe.JsonTooDeepError) as caught:
        jsonsafe.loads(deep)
    assert isinstance(caught.value, ValueError)


def test_the_limit_itself_parses_and_one_more_is_refused() -> None:
    limit = jsonsafe.MAX_DEPTH
    assert jsonsafe.loads("[" * limit + "]" * limit) is not None
    with pytest.raises(jsonsafe.JsonTooDeepError):
        jsonsafe.loads("[" * (limit + 1) + "]" * (limit + 1))


def test_brackets_inside_strings_do_not_count() -> None:
    text = '{"a": "' + "[" * 500 + '\\"' + "{" * 500 + '"}'
    assert jsonsafe.loads(text) == {"a": "[" * 500 + '"' + "{" * 500}


def test_bytes_and_wide_but_shallow_documents() -> None:
    wide = "[" + ",".join(["[1]"] * 10_000) + "]"
    assert len(jsonsafe.loads(wide.encode())) == 10_000
    assert jsonsafe.nesting_depth(wide) == 2


def test_malformed_json_is_still_a_value_error() -> None:
    with pytest.raises(ValueError):
        jsonsafe.loads("{not json")
    with pytest.raises(ValueError):
        jsonsafe.loads(b"\xff\xfe{")
