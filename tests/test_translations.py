"""Chinese first, English complete: every string the code can show has its Chinese translation."""
import re
import subprocess
import sys

from babel.messages.pofile import read_po

from points import ROOT

CATALOGUE = ROOT / "points/translations/zh/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def test_every_message_in_the_code_has_a_chinese_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_pgettext:1c,2", "-k", "pgettext:1c,2", "-o", str(template), "."],
        cwd=ROOT, check=True,
    )
    wanted = {(m.context, _text(m.id)) for m in _read(template) if m.id}
    translated = {(m.context, _text(m.id)) for m in _read(CATALOGUE) if m.id and _text(m.string)}
    assert sorted(wanted - translated) == []


def test_translations_keep_their_placeholders():
    for message in _read(CATALOGUE):
        source = _text(message.id)
        if message.id:
            assert sorted(PLACEHOLDER.findall(_text(message.string))) == sorted(PLACEHOLDER.findall(source)), source


def _read(path):
    with path.open("rb") as file:
        return list(read_po(file))


def _text(string):
    return string if isinstance(string, str) else (string[0] if string else "")
