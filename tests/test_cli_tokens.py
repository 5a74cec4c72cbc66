"""``oauth-dance token`` and ``status`` without a server: usage, missing credentials, what a
token with time left costs, global options before or after the command, and a status
table that holds no secret. (The refreshes: tests/demo/test_demo_token.py.)"""

from __future__ import annotations

import json
import sys
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tests.cli_run import ESCAPES, SHOWN, assert_shown_not_sent, run_cli
from tests.test_leaks import SPECIAL, assert_no_leak
from tui.cli_options import split_command
from tui.cli_token import Exit

TOKEN = "at-0123456789abcdef"


def write(path: Path, tables: dict[str, dict[str, Any]]) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_bytes(tomli_w.dumps({"version": 1, **tables}).encode())
    path.chmod(0o600)


def in_an_hour() -> datetime:
    return datetime.now(UTC) + timedelta(hours=1)


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    """A file elsewhere than OAUTH_DANCE_CREDS whose ``corp`` has a token with time left."""
    path = tmp_path / "elsewhere" / "creds.toml"
    write(path, {"corp": {"token": TOKEN, "expires": in_an_hour(), "token_type": "Bearer"}})
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("--bogus",),
        ("--min-valid", "soon"),
        ("--min-valid", "-5"),
        ("--min-valid",),
        ("extra-word",),
        (f"--min-valid={ESCAPES}",),
        ("--provider", "app"),  # the wizard's own table (lessons), no provider
        ("--provider", ""),
        ("--provider=  ",),
    ],
)
def test_token_usage_errors_exit_1(args: tuple[str, ...], isolated_environment: Path) -> None:
    """As every command's: 1 is bad usage (2 is no usable token, as scripts were told)."""
    done = run_cli("token", *args, env_creds=isolated_environment)
    assert (done.returncode, done.stdout) == (Exit.USAGE, "") == (1, "")
    assert done.stderr.startswith("usage: oauth-dance token")
    assert_shown_not_sent(done, *(["stderr"] if ESCAPES in args[0] else []))


@pytest.mark.parametrize(
    "command", [("token",), ("status",), (), ("serve",), ("--creds", "x.toml", "token")]
)
@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_provider_name_is_refused_by_every_command(
    command: tuple[str, ...], empty: str, isolated_environment: Path
) -> None:
    """``token --provider ''`` looked for "tokens for  in" the file."""
    done = run_cli(*command, "--provider", empty, env_creds=isolated_environment)
    assert (done.returncode, done.stdout) == (1, "")
    assert f"argument --provider: a provider's name cannot be empty: '{empty}'" in done.stderr
    assert done.stderr.startswith("usage: ")


EVERY_CREDS_COMMAND = [(), ("token",), ("status",), ("serve",), ("import-json", "nb.json")]
"""Each command that takes --creds; the wizard's usage is checked before its terminal."""


@pytest.mark.parametrize("command", EVERY_CREDS_COMMAND)
@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_creds_path_is_refused_by_every_command(
    command: tuple[str, ...], empty: str, isolated_environment: Path
) -> None:
    """``--creds ''`` named no file, and the default one was used in its place."""
    done = run_cli(*command, "--creds", empty, env_creds=isolated_environment, timeout=20)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("usage: ")
    assert f"argument --creds: the credentials file's path cannot be empty: '{empty}'" in (
        done.stderr
    )


@pytest.mark.parametrize("command", EVERY_CREDS_COMMAND)
@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_creds_variable_is_refused_by_every_command(
    command: tuple[str, ...], empty: str, isolated_environment: Path
) -> None:
    """``OAUTH_DANCE_CREDS=''`` was taken as unset: the default file was used unasked."""
    done = run_cli(*command, env_creds=isolated_environment, creds_variable=empty, timeout=20)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("usage: ")
    assert f"OAUTH_DANCE_CREDS is set but empty ('{empty}')" in done.stderr
    assert not list(isolated_environment.parent.rglob("*.toml")), "no file made anywhere"


def test_an_empty_creds_variable_is_no_matter_when_creds_names_a_file(
    valid: Path, isolated_environment: Path
) -> None:
    done = run_cli(
        "token",
        "--provider",
        "corp",
        "--creds",
        str(valid),
        env_creds=isolated_environment,
        creds_variable="",
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, TOKEN + "\n", "")


def test_token_without_credentials_exits_2_and_names_the_wizard(
    isolated_environment: Path,
) -> None:
    done = run_cli("token", "--provider", "spotify", env_creds=isolated_environment)
    assert (done.returncode, done.stdout) == (2, "")
    said = f"There are no tokens for spotify in {isolated_environment}: the file does not exist."
    assert said in done.stderr
    assert "run the wizard: oauth-dance --provider=spotify\n" in done.stderr
    assert not isolated_environment.exists(), "nothing written"


@pytest.mark.parametrize("file", ["missing", "without its table"])
def test_token_for_a_provider_neither_preset_nor_described_says_to_describe_it(
    file: str, tmp_path: Path
) -> None:
    """It said "run the wizard: oauth-dance --provider=mine", which opens on "Settings
    incomplete": the wizard cannot start on a name it knows nothing about."""
    creds = tmp_path / "x" / "nope.toml"
    if file != "missing":
        write(creds, {"other": {"client_id": "c"}})
    done = run_cli("token", "--creds", str(creds), "--provider", "mine", env_creds=creds)
    assert (done.returncode, done.stdout) == (Exit.NO_TOKEN, "")
    why = "the file does not exist" if file == "missing" else "the file has no table for mine"
    assert f"There are no tokens for mine in {creds}: {why}." in done.stderr
    assert "'mine' is not a preset provider (demo, spotify, github, google)" in done.stderr
    assert "describe it in a [mine] table of the credentials file" in done.stderr
    assert "(docs/providers/custom.md), then run the wizard: oauth-dance --provider=mine" in (
        done.stderr
    )
    assert "To get a token, run the wizard" not in done.stderr
    assert creds.exists() == (file != "missing"), "nothing written"


def test_token_for_a_described_provider_without_tokens_names_the_wizard(tmp_path: Path) -> None:
    creds = tmp_path / "creds.toml"
    write(creds, {"mine": {"issuer": "https://as.example", "client_id": "c"}})
    done = run_cli("token", "--creds", str(creds), "--provider", "mine", env_creds=creds)
    assert (done.returncode, done.stdout) == (Exit.NO_TOKEN, "")
    assert done.stderr.splitlines() == [
        f"oauth-dance token: There are no tokens for mine in {creds}.",
        f"To get a token, run the wizard: oauth-dance --provider=mine --creds={creds}",
    ]


def test_a_token_with_time_left_imports_neither_textual_nor_httpx(
    valid: Path, isolated_environment: Path
) -> None:
    """It costs a read of the file: ``-X importtime`` lists every module the run loaded."""
    done = run_cli(
        "token", "--provider", "corp", "--creds", str(valid), env_creds=isolated_environment
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{TOKEN}\n", "")
    import subprocess

    timed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui", "token", "--provider", "corp"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "OAUTH_DANCE_CREDS": str(valid)},
        timeout=60,
        check=True,
    )
    assert timed.stdout == f"{TOKEN}\n"
    loaded = {
        line.rsplit("|", 1)[1].strip()
        for line in timed.stderr.splitlines()
        if line.startswith("import time:") and "self [us]" not in line
    }
    assert "tui.cli_token" in loaded, "the listing is live"
    heavy = {"textual", "httpx", "httpcore", "rich", "tui.app", "tui.core.session", "asyncio"}
    assert heavy.isdisjoint(loaded), heavy & loaded


def test_a_token_no_header_can_carry_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "c.toml", {"corp": {"token": f"a b{ESCAPES}", "expires": in_an_hour()}})
    done = run_cli("token", "--provider", "corp", env_creds=tmp_path / "c.toml")
    assert (done.returncode, done.stdout) == (2, "")
    assert "cannot carry" in done.stderr
    assert "\x1b" not in done.stderr


@pytest.mark.parametrize(
    "order",
    [
        ("--provider", "corp", "--creds", "{creds}", "token"),
        ("token", "--provider", "corp", "--creds", "{creds}"),
        ("--creds={creds}", "token", "--provider=corp"),
        ("--prov", "corp", "token", "--creds", "{creds}"),
    ],
)
def test_global_options_go_before_or_after_token(
    order: tuple[str, ...], valid: Path, isolated_environment: Path
) -> None:
    args = [word.format(creds=valid) for word in order]
    done = run_cli(*args, env_creds=isolated_environment)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{TOKEN}\n", "")


def test_global_options_go_before_import_json(tmp_path: Path, isolated_environment: Path) -> None:
    """The issue's example: rejected before (the file was taken for the command)."""
    notebook = tmp_path / "creds.json"
    notebook.write_text(json.dumps({"spotify": {"client_id": "abc", "client_secret": "s"}}))
    target = tmp_path / "out" / "creds.toml"
    done = run_cli(
        "--creds", str(target), "import-json", str(notebook), env_creds=isolated_environment
    )
    assert done.returncode == 0, done.stderr
    assert tomllib.loads(target.read_text())["spotify"]["client_id"] == "abc"
    assert not isolated_environment.exists()


def test_global_options_go_before_status(valid: Path, isolated_environment: Path) -> None:
    done = run_cli("--creds", str(valid), "status", env_creds=isolated_environment)
    assert done.returncode == 0, done.stderr
    assert f"Credentials file: {valid}" in done.stdout
    assert "corp" in done.stdout


@pytest.mark.parametrize(
    ("argv", "command", "rest"),
    [
        (["--provider", "token"], None, ["--provider", "token"]),  # a provider named token
        (["--creds", "status", "token"], "token", ["--creds", "status"]),
        (["-h", "status"], "status", ["-h"]),
        (["--", "token"], None, ["--", "token"]),
        (["spotify", "token"], None, ["spotify", "token"]),
        ([], None, []),
        (
            ["--creds", "x.toml", "serve", "--port", "9"],
            "serve",
            ["--creds", "x.toml", "--port", "9"],
        ),
    ],
)
def test_the_command_is_the_first_word_not_an_options_value(
    argv: list[str], command: str | None, rest: list[str]
) -> None:
    assert split_command(argv) == (command, rest)


def test_options_a_command_does_not_take_are_refused(isolated_environment: Path) -> None:
    done = run_cli("--provider", "spotify", "import-json", "x.json", env_creds=isolated_environment)
    assert done.returncode == 1
    assert "--provider does not apply: every provider in the file is imported" in done.stderr


CLIENT_SECRET = f"cs{SPECIAL}secret-0123"


def full_table(n: int) -> dict[str, Any]:
    """Every secret a provider's table can hold, each full of special characters."""
    return {
        "client_id": f"client-{n}",
        "client_secret": f"{CLIENT_SECRET}{n}",
        "code": f"code{SPECIAL}{n}-0123",
        "code_verifier": f"verifier{SPECIAL}{n}-0123456789",
        "token": f"token{SPECIAL}{n}-0123",
        "refresh": f"refresh{SPECIAL}{n}-0123",
        "id_token": f"eyJ.id{SPECIAL}{n}.sig",
        "scope": "user-read-private user-read-email",
        "granted_scope": "user-read-email",
    }


def test_status_lists_each_provider_and_prints_no_secret(isolated_environment: Path) -> None:
    fresh = full_table(1) | {"expires": in_an_hour()}
    expired = full_table(2) | {"expires": datetime(2020, 1, 2, 3, 4, tzinfo=UTC), "id_token": ""}
    settings_only = {"client_id": "c", "client_secret": f"{CLIENT_SECRET}3", "scope": "read:user"}
    tables = {"spotify": fresh, "corp": expired, f"gh{ESCAPES}": settings_only}
    write(isolated_environment, tables)
    done = run_cli("status", env_creds=isolated_environment)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Credentials file: {isolated_environment}"
    assert lines[1].split() == ["PROVIDER", "ACCESS", "EXPIRES", "(UTC)", "REFRESH", "ID", "TOKEN"]
    spotify, spotify_scope, corp, corp_scope, github, github_scope = lines[2:]
    assert spotify.split()[:2] == ["spotify", "yes"] and "(in 60 min)" in spotify
    assert spotify.endswith("yes      yes")
    assert spotify_scope == "  scope: user-read-email"
    assert corp.split()[:4] == ["corp", "expired", "2020-01-02", "03:04"]
    assert "years ago)" in corp and corp.endswith("yes      none")
    assert corp_scope == "  scope: user-read-email"
    assert github.split() == [f"gh{SHOWN}", "none", "-", "none", "none"]
    assert github_scope == "  scope: read:user (asked for)"
    assert_shown_not_sent(done, "stdout")
    secrets = {
        value
        for table in tables.values()
        for key, value in table.items()
        if key in {"client_secret", "code", "code_verifier", "token", "refresh", "id_token"}
        and value
    }
    assert len(secrets) == 12
    assert_no_leak({"stdout": [done.stdout], "stderr": [done.stderr]}, secrets)


def test_status_of_one_provider(valid: Path, isolated_environment: Path) -> None:
    write(valid, {"corp": {"token": TOKEN}, "other": {"token": "x" * 10}})
    done = run_cli("status", "--provider", "other", "--creds", str(valid), env_creds=valid)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()[2:]
    assert [row.split()[:3] for row in rows] == [["other", "yes", "not"]], "no scope, no line"


def test_status_says_the_demo_providers_tokens_end_with_the_wizard(
    valid: Path, isolated_environment: Path
) -> None:
    """The embedded demo server lived inside the wizard: its tokens, however long they had
    left, are not offered as usable, as another provider's are."""
    write(valid, {"demo": {"token": TOKEN, "expires": in_an_hour()}, "corp": {"token": TOKEN}})
    done = run_cli("status", "--creds", str(valid), env_creds=valid)
    assert done.returncode == 0, done.stderr
    demo, corp, *note = done.stdout.splitlines()[2:]
    assert demo.endswith("(see note)  none     none") and "(in " not in demo
    assert "note" not in corp
    assert " ".join(note) == (
        "Note: the demo provider's tokens come from the server inside the wizard, which "
        "ends with it, however long they had left."
    )


def test_status_fits_80_columns(valid: Path, isolated_environment: Path) -> None:
    """The demo's row was 128 columns wide ("(embedded demo: ends with the wizard)" and the
    scope on the same row): it wrapped in an 80-column terminal."""
    table = {
        "token": TOKEN,
        "refresh": "rt-0123456789",
        "id_token": "eyJ.id.sig",
        "expires": in_an_hour(),
        "scope": "user-read-private user-read-email",
        "granted_scope": "user-read-private user-read-email",
    }
    old = table | {"expires": datetime(2020, 1, 2, 3, 4, tzinfo=UTC)}
    names = ("demo", "spotify", "provider-of-20-chars")
    write(valid, {**{name: table for name in names}, "standalone": old})
    done = run_cli("status", "--creds", str(valid), env_creds=valid)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines[1:]) <= 80, done.stdout
    assert len(lines) == 2 + 2 * 4 + 2, "a row and a scope line each, and the demo's note"


def test_status_with_nothing_stored(isolated_environment: Path) -> None:
    """It said "No credentials stored yet" without saying the file does not exist."""
    done = run_cli("status", env_creds=isolated_environment)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        f"Credentials file: {isolated_environment} (it does not exist)",
        "No credentials stored yet. Run the wizard: oauth-dance",
    ]
    assert not isolated_environment.exists()


def test_status_with_a_file_but_nothing_stored_says_no_more(isolated_environment: Path) -> None:
    write(isolated_environment, {})
    done = run_cli("status", env_creds=isolated_environment)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        f"Credentials file: {isolated_environment}",
        "No credentials stored yet. Run the wizard: oauth-dance",
    ]


def test_status_of_a_provider_neither_preset_nor_described_says_to_describe_it(
    tmp_path: Path,
) -> None:
    creds = tmp_path / "x" / "nope.toml"
    done = run_cli("status", "--creds", str(creds), "--provider", "mine", env_creds=creds)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[0] == f"Credentials file: {creds} (it does not exist)"
    assert "No credentials for mine stored yet. 'mine' is not a preset provider" in done.stdout
    assert "Run the wizard" not in done.stdout


def test_the_apps_own_table_is_no_provider() -> None:
    from tui.core.errors import ConfigError
    from tui.core.providers import resolve_provider

    with pytest.raises(ConfigError, match="give the provider another name"):
        resolve_provider("app", {"issuer": "https://as.example"}, None)


def test_status_usage_errors_exit_1(isolated_environment: Path) -> None:
    done = run_cli("status", "--bogus", env_creds=isolated_environment)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("usage: oauth-dance status")


def test_token_on_a_folder_suggests_no_wizard_on_that_folder(tmp_path: Path) -> None:
    """It said "run the wizard: oauth-dance --provider demo --creds FOLDER", the same bad path."""
    done = run_cli("token", "--creds", str(tmp_path), env_creds=tmp_path / "unused.toml")
    assert (done.returncode, done.stdout) == (2, "")
    assert f"Could not use {tmp_path}: " in done.stderr
    assert "pass --creds with another path" in done.stderr
    assert "wizard" not in done.stderr


def test_status_suggests_the_wizard_with_the_options_given(tmp_path: Path) -> None:
    """It said "Run the wizard: oauth-dance", dropping --provider and --creds."""
    creds = tmp_path / "work creds.toml"
    done = run_cli(
        "status", "--provider", "github", "--creds", str(creds), env_creds=tmp_path / "other.toml"
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-1] == (
        f"No credentials for github stored yet. Run the wizard: "
        f"oauth-dance --provider=github '--creds={creds}'"
    )


@pytest.mark.parametrize("command", ["status", "token"])
def test_a_newline_in_a_path_is_shown_as_one(command: str, tmp_path: Path) -> None:
    """A raw newline in the path broke the line; ESC was already shown as \\x1b."""
    creds = tmp_path / "a\nb\x1b" / "c.toml"
    done = run_cli(command, "--creds", str(creds), env_creds=tmp_path / "other.toml")
    shown = str(creds).replace("\n", "\\n").replace("\x1b", "\\x1b")
    out = done.stdout + done.stderr
    assert shown in out, out
    assert "\x1b" not in out
    assert not any(line.startswith("b") for line in out.splitlines()), "the path was cut in two"


@pytest.mark.parametrize("command", ["status", "token"])
def test_a_file_that_does_not_parse_is_left_where_it_is(command: str, tmp_path: Path) -> None:
    """A command that only reads moved it to creds.toml.corrupt-… and said it was
    "starting with no saved credentials"; the wizard still moves it aside."""
    creds = tmp_path / "creds.toml"
    creds.write_bytes(b"version = 1\n[corp\n")
    creds.chmod(0o600)
    done = run_cli(command, "--provider", "corp", env_creds=creds)
    assert (done.returncode, done.stdout) == (2, "")
    assert f"{creds} is not valid TOML (line 2)" in done.stderr
    assert "It is left as it is: fix it, or run the wizard" in done.stderr
    assert "moved" not in done.stderr and "starting with" not in done.stderr
    assert creds.read_bytes() == b"version = 1\n[corp\n"
    assert [p.name for p in tmp_path.iterdir()] == ["creds.toml"]


def test_a_demo_token_is_printed_with_the_note_that_it_ends_with_its_wizard(
    valid: Path, isolated_environment: Path
) -> None:
    """A QA find: the demo's token was printed without a word, though the server that
    issued it lived inside the wizard and, the wizard quit, takes it for nothing."""
    write(valid, {"demo": {"token": TOKEN, "expires": in_an_hour()}})
    done = run_cli("token", "--provider", "demo", "--creds", str(valid), env_creds=valid)
    assert (done.returncode, done.stdout) == (0, TOKEN + "\n")
    assert done.stderr == (
        "oauth-dance token: note: the demo provider's tokens come from the server inside the "
        "wizard, which ends with it: this token works only while that wizard runs.\n"
    )
