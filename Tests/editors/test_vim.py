# The Vim files (editors/vim): ftdetect sets the filetype for .dks files and dks shebangs, and the
# syntax file loads without errors and names chosen tokens, in a real Vim (vim -Es).
import subprocess
import tempfile

from conftest import ROOT


def vim_syntax(path, positions):
    """Opens `path` in Vim with editors/vim first on the runtimepath; returns the filetype, any
    error messages and the syntax group at each (line, col), 1-based."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as out:
        script = [
            f"set rtp^={ROOT / 'editors' / 'vim'}",
            "syntax on",
            "filetype on",
            f"edit {path}",
            "let g:out = [&filetype]",
        ]
        for line, col in positions:
            script.append(f"call add(g:out, synIDattr(synID({line}, {col}, 1), 'name'))")
        script += ["redir => g:msgs", "silent messages", "redir END",
                   "call add(g:out, substitute(g:msgs, '\\n', ' ', 'g'))",
                   f"call writefile(g:out, '{out.name}')", "qall!"]
        with tempfile.NamedTemporaryFile("w", suffix=".vim") as s:
            s.write("\n".join(script) + "\n")
            s.flush()
            subprocess.run(["vim", "-Es", "-u", "NONE", "-N", "-S", s.name], check=False, timeout=60,
                           stdin=subprocess.DEVNULL, capture_output=True)
        return open(out.name).read().splitlines()


def test_syntax_loads_and_names_tokens():
    src = ROOT / "examples" / "tour.dks"
    lines = src.read_text().splitlines()
    fn_line = next(i for i, l in enumerate(lines) if l.startswith("fn greet")) + 1
    echo_line = next(i for i, l in enumerate(lines) if l.startswith("echo hello")) + 1
    var_line = next(i for i, l in enumerate(lines) if l.startswith("$name = ")) + 1
    out = vim_syntax(src, [(fn_line, 1), (fn_line, 4), (echo_line, 1), (var_line, 1), (var_line, 10), (2, 3)])
    filetype, fn_kw, fn_name, echo, var, string, comment, messages = out
    assert filetype == "dks"
    assert "E" not in messages.replace("Error", ""), messages
    assert fn_kw == "dksFn"
    assert fn_name == "dksFunctionName"
    assert echo == "dksCommand"
    assert var == "dksVariable"
    assert string == "dksString"
    assert comment == "dksComment"


def test_shebang_sets_the_filetype(tmp_path):
    script = tmp_path / "deploy"
    script.write_text("#!/usr/bin/env dks\necho hi | ^cat > out.txt\n")
    out = vim_syntax(script, [(2, 1), (2, 9), (2, 16)])
    assert out[0] == "dks"
    assert out[1:4] == ["dksCommand", "dksPipe", "dksRedirection"]
