# The TextMate grammar (editors/dks.tmLanguage.json) under a real TextMate engine
# (textmate-grammar-python, a port of vscode-textmate, with Oniguruma): every example tokenizes,
# and chosen tokens get the scopes an editor colours them by.
import json
import logging

import pytest
from textmate_grammar.parsers.base import LanguageParser

from conftest import ROOT

logging.disable(logging.WARNING)
GRAMMAR = json.loads((ROOT / "editors" / "dks.tmLanguage.json").read_text())
PARSER = LanguageParser(GRAMMAR)


def tokens(source):
    element = PARSER.parse_string(source)
    assert element is not None
    return [(pos, text, scopes) for pos, text, scopes in element.flatten()]


def scopes_of(source, text, line=None, nth=0):
    """The scopes of the nth token whose text is `text` (on `line`, 0-based, if given)."""
    found = [s for (l, _), t, s in tokens(source) if t == text and (line is None or l == line)]
    assert len(found) > nth, f"no token {text!r} in {[t for _, t, _ in tokens(source)]}"
    return found[nth]


def test_every_example_tokenizes_line_by_line():
    files = sorted((ROOT / "examples").glob("*.dks"))
    assert files
    for path in files:
        source = path.read_text()
        toks = tokens(source)
        lines = {l for (l, _), t, _ in toks if t.strip()}
        expected = {i for i, text in enumerate(source.splitlines()) if text.strip()}
        assert expected <= lines, f"{path.name}: lines without tokens: {sorted(expected - lines)[:5]}"
        # Comment lines are comments from their '#' on.
        for i, text in enumerate(source.splitlines()):
            if text.lstrip().startswith("#") and not text.startswith("#!"):
                assert any(l == i and "comment.line.number-sign.dks" in s for (l, _), t, s in toks), f"{path.name}:{i + 1}"


def test_tour_scopes():
    source = (ROOT / "examples" / "tour.dks").read_text()
    assert "entity.name.function.command.dks" in scopes_of(source, "echo")
    assert "comment.line.shebang.dks" in scopes_of(source, "#!/usr/bin/env dks", line=0)
    assert "variable.other.dks" in scopes_of(source, "name", nth=0)
    assert "storage.type.function.dks" in scopes_of(source, "fn")
    assert "entity.name.function.dks" in scopes_of(source, "greet")
    assert "keyword.control.dks" in scopes_of(source, "for")
    assert "keyword.operator.range.dks" in scopes_of(source, "..")
    assert "keyword.control.dks" in scopes_of(source, "try")


@pytest.mark.parametrize("source,text,scope", [
    ('echo "hi $web.name!"\n', "web", "variable.other.dks"),
    ('echo "hi $web.name!"\n', ".name", "variable.other.member.dks"),
    ('echo "twice: ${$answer * 2}"\n', "${", "punctuation.section.interpolation.begin.dks"),
    ('echo "twice: ${$answer * 2}"\n', "answer", "meta.embedded.expression.dks"),
    ('echo "a\\tb"\n', "\\t", "constant.character.escape.dks"),
    ("echo 'raw $x'\n", "raw $x", "string.quoted.single.dks"),
    ("logs $c --tail 5\n", "--tail", "variable.parameter.option.dks"),
    ("logs $c --tail 5\n", "5", "constant.numeric.dks"),
    ("$x = 0x1f + 1_000 + 3.14 + 1e9\n", "0x1f", "constant.numeric.dks"),
    ("$x = 0x1f + 1_000 + 3.14 + 1e9\n", "1_000", "constant.numeric.dks"),
    ("$x = 0x1f + 1_000 + 3.14 + 1e9\n", "1e9", "constant.numeric.dks"),
    ("if $ok and not $bad { echo yes } else { echo no }\n", "and", "keyword.operator.logical.dks"),
    ("if $ok and not $bad { echo yes } else { echo no }\n", "else", "keyword.control.dks"),
    ("$x = null\n", "null", "constant.language.dks"),
    ("^make test 2>&1 | ^tee build.log # log it\n", "make", "entity.name.function.host-program.dks"),
    ("^make test 2>&1 | ^tee build.log # log it\n", "^", "keyword.operator.host-program.dks"),
    ("^make test 2>&1 | ^tee build.log # log it\n", "2>&1", "keyword.operator.redirection.dks"),
    ("^make test 2>&1 | ^tee build.log # log it\n", "|", "keyword.operator.pipe.dks"),
    ("^make test 2>&1 | ^tee build.log # log it\n", "tee", "entity.name.function.host-program.dks"),
    ("^make test 2>&1 | ^tee build.log # log it\n", " log it", "comment.line.number-sign.dks"),
    ("exec $db pg_dump app > app.sql\n", ">", "keyword.operator.redirection.dks"),
    ("^gunzip -c a.gz | exec -i $db psql < in.sql\n", "<", "keyword.operator.redirection.dks"),
    ("$web = run -d --name web busybox sleep 300\n", "run", "entity.name.function.command.dks"),
    ("return wait-healthy $c --timeout 30s\n", "wait-healthy", "entity.name.function.command.dks"),
    ("use-engine $e { ps -a }\n", "use-engine", "entity.name.function.command.dks"),
    ("use-engine $e { ps -a }\n", "ps", "entity.name.function.command.dks"),
    ("retry 5 --delay 200ms { exec $c true }\n", "exec", "entity.name.function.command.dks"),
    ("echo (len($xs)) (upper hi)\n", "len", "entity.name.function.call.dks"),
    ("echo (len($xs)) (upper hi)\n", "upper", "entity.name.function.command.dks"),
    ("$m = {name: \"web\", replicas: 2}\n", "name", "variable.other.property.dks"),
    ("./build.sh --release\n", "./build.sh", "entity.name.function.host-program.dks"),
])
def test_chosen_tokens(source, text, scope):
    assert scope in scopes_of(source, text)


def test_a_hash_inside_a_word_or_string_is_not_a_comment():
    source = 'echo a#b "c # d"\n'
    for _, t, s in tokens(source):
        if "#" in t:
            assert "comment.line.number-sign.dks" not in s, (t, s)


def test_vscode_manifest_points_at_the_grammar():
    manifest = json.loads((ROOT / "editors" / "package.json").read_text())
    grammar = manifest["contributes"]["grammars"][0]
    assert grammar["scopeName"] == GRAMMAR["scopeName"] == "source.dks"
    assert (ROOT / "editors" / grammar["path"]).exists()
    lang = manifest["contributes"]["languages"][0]
    assert ".dks" in lang["extensions"]
    assert (ROOT / "editors" / lang["configuration"]).exists()
    config = json.loads((ROOT / "editors" / "language-configuration.json").read_text())
    assert config["comments"]["lineComment"] == "#"
