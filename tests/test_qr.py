"""Tests for the QR code widget: the code Textual actually draws must decode."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.screenshot import screen_cells, screen_text
from tui.widgets import qr as qr_module
from tui.widgets.qr import QRCode
from tui.widgets.qr_screen import QRScreen

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HALF_BLOCKS = set("▀▄█")


def _token(seed: str) -> str:
    """A deterministic 43-character urlsafe token, like a PKCE verifier or state."""
    digest = hashlib.sha256(seed.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


SHORT_URL = "http://127.0.0.1:8765/authorize?client_id=oauth-dance-demo&response_type=code"
LONG_URL = (
    "http://127.0.0.1:8765/authorize?client_id=oauth-dance-demo&response_type=code"
    "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8888%2Fcallback"
    "&scope=user-read-private+user-read-email+playlist-read-private+offline_access"
    f"&state={_token('state')}&code_challenge={_token('challenge')}"
    "&code_challenge_method=S256&prompt=consent"
)


def test_urls_are_realistic() -> None:
    assert len(_token("x")) == 43
    assert 330 <= len(LONG_URL) <= 380


def _is_dark(color: str) -> bool:
    """Whether a cell's ``#rrggbb`` colour is dark."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue < 128


def screen_image(app: App[Any], scale: int = 8) -> Image.Image:
    """A picture of the screen with two vertical pixels per cell, as a camera sees it."""
    pixels: list[list[int]] = []
    for row in screen_cells(app):
        top: list[int] = []
        bottom: list[int] = []
        for character, foreground, background in row:
            fg_dark, bg_dark = _is_dark(foreground), _is_dark(background)
            if character == "█":
                upper, lower = fg_dark, fg_dark
            elif character == "▀":
                upper, lower = fg_dark, bg_dark
            elif character == "▄":
                upper, lower = bg_dark, fg_dark
            else:  # Text and spaces: treat the whole cell as background.
                upper, lower = bg_dark, bg_dark
            top.append(0 if upper else 255)
            bottom.append(0 if lower else 255)
        pixels.extend((top, bottom))
    height, width = len(pixels), len(pixels[0])
    image = Image.new("L", (width, height))
    image.putdata([value for row in pixels for value in row])
    return image.resize((width * scale, height * scale), Image.Resampling.NEAREST)


def decode(app: App[Any]) -> list[str]:
    """Decode every QR code on screen (inverted codes are not accepted)."""
    results = zxingcpp.read_barcodes(
        screen_image(app),
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
        try_invert=False,
    )
    return [result.text for result in results]


class QRApp(App[None]):
    """An app showing only a QR code."""

    def __init__(self, data: str) -> None:
        super().__init__()
        self.data = data

    def compose(self) -> ComposeResult:
        yield QRCode(self.data)


@pytest.mark.parametrize("url", [SHORT_URL, LONG_URL], ids=["short", "long"])
async def test_rendered_code_decodes(url: str) -> None:
    app = QRApp(url)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        widget = app.query_one(QRCode)
        width, height = widget.natural_size
        assert (widget.size.width, widget.size.height) == (width, height)
        assert width == widget.modules + 8
        assert height == (width + 1) // 2
        assert widget.needed_size == (widget.modules + 4, (widget.modules + 5) // 2)
        assert decode(app) == [url]


async def test_code_is_black_on_white() -> None:
    app = QRApp(SHORT_URL)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        colors = {
            (cell.foreground, cell.background)
            for row in screen_cells(app)
            for cell in row
            if cell.character in HALF_BLOCKS
        }
        assert colors == {("#000000", "#ffffff")}
        # The 4-module quiet zone: the first two code rows are entirely light.
        region = app.query_one(QRCode).content_region
        first_rows = screen_text(app).splitlines()[region.y : region.y + 2]
        assert all(line[region.x : region.right].strip() == "" for line in first_rows)


async def test_reduced_quiet_zone_still_decodes() -> None:
    """With too little room for a 4-module quiet zone, a 2-module one is used."""
    app = QRApp(LONG_URL)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        needed_width, needed_height = app.query_one(QRCode).needed_size
    app = QRApp(LONG_URL)
    async with app.run_test(size=(needed_width + 5, needed_height)) as pilot:
        await pilot.pause()
        widget = app.query_one(QRCode)
        assert (widget.size.width, widget.size.height) == (needed_width, needed_height)
        assert widget.fits
        assert decode(app) == [LONG_URL]


async def test_changing_data_redraws() -> None:
    app = QRApp(SHORT_URL)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        assert decode(app) == [SHORT_URL]
        app.query_one(QRCode).data = LONG_URL
        await pilot.pause()
        assert decode(app) == [LONG_URL]


@pytest.fixture
def segno_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The data of every ``segno.make`` call from now on (the encoding cache emptied)."""
    import segno

    calls: list[str] = []
    real_make = segno.make

    def counting_make(data: str, **options: Any) -> segno.QRCode:
        calls.append(data)
        return real_make(data, **options)

    monkeypatch.setattr(segno, "make", counting_make)
    qr_module._encode.cache_clear()
    return calls


async def test_encodes_once(segno_calls: list[str]) -> None:
    """Once per text: not at every layout or resize, nor for the next widget drawing it."""
    for size in ((120, 60), (110, 50)):
        app = QRApp(LONG_URL)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            widget = app.query_one(QRCode)
            for _ in range(3):
                widget.refresh(layout=True)
                await pilot.pause()
            await pilot.resize_terminal(100, 45)
            await pilot.pause()
            assert decode(app) == [LONG_URL]
    assert segno_calls == [LONG_URL]


MODES = {
    "numeric": "0123456789",
    "alphanumeric": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:",
    "byte": "abcdefghijklmnopqrstuvwxyz0123456789:/?&=%._-",
}
CHECKED_VERSIONS = {*range(1, 16), 20, 26, 27, 30, 39, 40}
"""Every version an authorization URL takes, those whose count field grows, the last."""


def _text(alphabet: str, length: int) -> str:
    return (alphabet * (length // len(alphabet) + 1))[:length]


@pytest.mark.parametrize("mode", MODES)
def test_sizes_from_the_capacity_tables_are_segnos(mode: str) -> None:
    """On each side of each version's capacity, the size without segno is segno's own."""
    import segno

    def segno_modules(text: str) -> int:
        try:
            return len(segno.make(text, error="l", micro=False).matrix)
        except segno.DataOverflowError:
            return 0

    alphabet = MODES[mode]
    sizes = [qr_module.code_modules(_text(alphabet, n)) for n in range(7100)]
    assert sizes[0] == 21 and sizes[-1] == 0, "version 1 first, too much data last"
    last_lengths = [n for n in range(7099) if sizes[n] != sizes[n + 1]]
    assert len(last_lengths) == 40
    for version, n in enumerate(last_lengths, start=1):
        if version in CHECKED_VERSIONS:
            assert sizes[n] == 17 + 4 * version
            assert segno_modules(_text(alphabet, n)) == sizes[n]
            assert segno_modules(_text(alphabet, n + 1)) == sizes[n + 1]


async def test_a_code_with_no_room_costs_no_segno(segno_calls: list[str]) -> None:
    """Sized from the tables, a code shown as a message is never encoded; drawn, it is."""
    app = QRApp(LONG_URL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "QR code needs" in screen_text(app)
        assert segno_calls == []
        await pilot.resize_terminal(120, 60)
        await pilot.pause()
        assert decode(app) == [LONG_URL]
    assert segno_calls == [LONG_URL]


async def test_too_small_shows_message_not_cropped_code() -> None:
    app = QRApp(LONG_URL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(QRCode)
        width, height = widget.needed_size
        assert height > 24
        assert not widget.fits
        text = screen_text(app)
        needs = f"QR code needs {width}\N{MULTIPLICATION SIGN}{height} cells"
        assert needs in " ".join(text.split())
        assert "Press f" in text
        assert not HALF_BLOCKS & set(text)
        assert decode(app) == []


class BoxedQRApp(QRApp):
    """A QR code given less room than the terminal has, as on the Authorize step."""

    CSS = "QRCode { max-height: 10; }"


async def test_too_small_says_whether_f_shows_it_and_at_what_size() -> None:
    app = QRApp(LONG_URL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        width, height = app.query_one(QRCode).needed_size
        text = " ".join(screen_text(app).split())
        times = "\N{MULTIPLICATION SIGN}"
        assert f"Press f to see it full screen in a terminal of {width}{times}{height + 1}" in text
    app = BoxedQRApp(LONG_URL)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        assert not app.query_one(QRCode).fits
        assert "Press f to see it full screen." in " ".join(screen_text(app).split())


async def test_too_narrow_shows_message() -> None:
    app = QRApp(LONG_URL)
    async with app.run_test(size=(40, 60)) as pilot:
        await pilot.pause()
        widget = app.query_one(QRCode)
        assert widget.size.width <= 40
        text = screen_text(app)
        assert "QR code needs" in text
        assert not HALF_BLOCKS & set(text)


async def test_short_url_fits_small_terminal() -> None:
    app = QRApp(SHORT_URL)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.query_one(QRCode).fits
        assert decode(app) == [SHORT_URL]


async def test_data_is_not_markup() -> None:
    data = "[b]not bold[/b] [@click=app.quit]x[/]"
    app = QRApp(data)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        assert decode(app) == [data]


class BehindApp(App[None]):
    """An app with some ordinary content, that pushes a QRScreen."""

    def compose(self) -> ComposeResult:
        yield Static("The Authorize screen " * 200)


@pytest.mark.parametrize("key", ["escape", "q", "f"])
async def test_qr_screen_decodes_and_closes(key: str) -> None:
    app = BehindApp()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        screen = QRScreen(LONG_URL)
        app.push_screen(screen)
        await pilot.pause()
        assert app.screen is screen
        text = screen_text(app)
        assert "Scan with a phone camera · Esc to close" in text
        assert "Authorize screen" not in text
        assert decode(app) == [LONG_URL]
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is not screen
        assert decode(app) == []


async def test_qr_screen_too_small() -> None:
    app = BehindApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = QRScreen(LONG_URL)
        app.push_screen(screen)
        await pilot.pause()
        text = screen_text(app)
        assert "QR code needs" in text
        assert "Press f" not in text
        assert not HALF_BLOCKS & set(text)


def test_import_does_not_import_segno() -> None:
    code = (
        "import sys\n"
        "import tui.widgets.qr, tui.widgets.qr_screen\n"
        "assert 'segno' not in sys.modules, 'segno imported eagerly'\n"
        "tui.widgets.qr._encode('x')\n"
        "assert 'segno' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
