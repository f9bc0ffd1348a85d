# `dks lsp` under a real LSP client (pytest-lsp over pygls and lsprotocol): diagnostics from the
# parser, the compiler and the binder on open and change, completion from the prompt's completer,
# hover with help text, go to definition, document symbols, formatting.
import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import DKS, ROOT

URI = "file:///work/doc.dks"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[DKS, "lsp"]))
async def client(lsp_client: LanguageClient):
    result = await lsp_client.initialize_session(t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri="file:///work"))
    assert result.capabilities.hover_provider
    assert result.capabilities.completion_provider is not None
    yield
    await lsp_client.shutdown_session()


async def open_doc(client, text, uri=URI, version=1):
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        text_document=t.TextDocumentItem(uri=uri, language_id="dks", version=version, text=text)))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


@pytest.mark.asyncio(loop_scope="function")
async def test_clean_document_has_no_diagnostics(client):
    diags = await open_doc(client, (ROOT / "examples" / "tour.dks").read_text())
    assert diags == []


@pytest.mark.asyncio(loop_scope="function")
async def test_syntax_error(client):
    diags = await open_doc(client, "echo ok\nwhile $x {\n")
    assert len(diags) == 1
    assert diags[0].severity == t.DiagnosticSeverity.Error
    assert (diags[0].range.start.line, diags[0].range.start.character) == (1, 9)
    assert "unterminated block" in diags[0].message


@pytest.mark.asyncio(loop_scope="function")
async def test_binder_diagnostics(client):
    text = "\n".join([
        "logs $c --tial 5",                 # unknown option (did you mean --tail?)
        "len 1 2",                          # wrong arity
        "wait-healty $c",                   # unknown command
        "fn greet($who) { echo $who }",
        "greet a b",                        # wrong arity of a user function
        "greet bob",                        # fine
        "^git --version",                   # a host program: fine
        "for $i in 1..3 { break }",
        "break",                            # compiler: break outside a loop
    ]) + "\n"
    diags = await open_doc(client, text)
    by_line = {d.range.start.line: d for d in diags}
    assert "no option --tial" in by_line[0].message and "--tail" in by_line[0].message
    assert by_line[0].range.start.character == 8
    assert "len takes at most 1 argument" in by_line[1].message
    assert "unknown command 'wait-healty'" in by_line[2].message and "wait-healthy" in by_line[2].message
    assert "greet takes at most 1 argument" in by_line[4].message
    assert "outside a loop" in by_line[8].message
    assert set(by_line) == {0, 1, 2, 4, 8}


@pytest.mark.asyncio(loop_scope="function")
async def test_diagnostics_follow_changes(client):
    assert await open_doc(client, "echo ok\n") == []
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=URI, version=2),
        content_changes=[t.TextDocumentContentChangeWholeDocument(text="echo ok\nsleep --forever\n")]))
    await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    diags = client.diagnostics[URI]
    assert len(diags) == 1 and diags[0].range.start.line == 1 and "--forever" in diags[0].message


async def complete(client, text, line, character):
    await open_doc(client, text)
    result = await client.text_document_completion_async(t.CompletionParams(
        text_document=t.TextDocumentIdentifier(uri=URI), position=t.Position(line=line, character=character)))
    items = result.items if isinstance(result, t.CompletionList) else result
    return {i.label: i for i in items}


@pytest.mark.asyncio(loop_scope="function")
async def test_completion_of_commands_options_variables_members(client):
    items = await complete(client, "wait-h\n", 0, 6)
    assert "wait-healthy" in items
    assert items["wait-healthy"].kind == t.CompletionItemKind.Function
    items = await complete(client, "help de\n", 0, 7)      # help takes commands and syntax topics
    assert "defer" in items
    items = await complete(client, "logs $c --ta\n", 0, 12)
    assert "--tail" in items
    edit = items["--tail"].text_edit
    assert edit.range.start.character == 8 and edit.range.end.character == 12
    items = await complete(client, "$config = {name: \"web\", replicas: 2}\necho $con\n", 1, 9)
    assert "$config" in items
    items = await complete(client, "$config = {name: \"web\", replicas: 2}\necho $config.re\n", 1, 15)
    assert list(items) == ["replicas"]
    items = await complete(client, "$c = run -d busybox sleep 9\necho $c.sta\n", 1, 11)
    assert {"status", "started_at"} <= set(items)
    items = await complete(client, "try { x } catch $e { echo $e.me }\n", 0, 31)
    assert "message" in items
    items = await complete(client, "fn deploy($name, $replicas = 1) { }\ndeploy web --rep\n", 1, 16)
    assert "--replicas" in items


@pytest.mark.asyncio(loop_scope="function")
async def test_completion_of_paths(client, tmp_path):
    items = await complete(client, f"cat {ROOT}/exampl\n", 0, len(f"cat {ROOT}/exampl"))
    assert f"{ROOT}/examples/" in items


@pytest.mark.asyncio(loop_scope="function")
async def test_hover_shows_help(client):
    await open_doc(client, "wait-healthy $c --timeout 30s\n# Says hello.\nfn greet($who) { echo hi $who }\ngreet bob\n")
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=URI), position=t.Position(line=0, character=3)))
    assert "usage: wait-healthy" in hover.contents.value
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=URI), position=t.Position(line=3, character=2)))
    assert "usage: greet" in hover.contents.value and "Says hello." in hover.contents.value



@pytest.mark.asyncio(loop_scope="function")
async def test_hover_on_syntax_shows_its_help_topic(client):
    await open_doc(client, "if true { echo a } else { echo b }\ndefer { echo c }\n")
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=URI), position=t.Position(line=0, character=21)))
    assert hover is not None and "example:" in hover.contents.value and "else" in hover.contents.value
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=URI), position=t.Position(line=1, character=2)))
    assert hover is not None and "defer" in hover.contents.value and "example:" in hover.contents.value


@pytest.mark.asyncio(loop_scope="function")
async def test_definition_of_functions_and_variables(client):
    text = "$x = 1\nfn f($x) {\n  return $x + 1\n}\necho (f $x)\n"
    await open_doc(client, text)

    async def definition(line, character):
        result = await client.text_document_definition_async(t.DefinitionParams(
            text_document=t.TextDocumentIdentifier(uri=URI), position=t.Position(line=line, character=character)))
        loc = result[0] if isinstance(result, list) else result
        return loc.range.start.line, loc.range.start.character

    assert await definition(4, 7) == (1, 3)      # f -> fn f
    assert await definition(4, 10) == (0, 0)     # $x at the top level -> $x = 1
    assert await definition(2, 11) == (1, 5)     # $x inside f -> the parameter


@pytest.mark.asyncio(loop_scope="function")
async def test_document_symbols(client):
    await open_doc(client, "$a = 1\nfn one() { }\nfn two($x) { $local = 2 }\n$a = 2\n")
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(
        text_document=t.TextDocumentIdentifier(uri=URI)))
    names = [(s.name, s.kind) for s in symbols]
    assert names == [("$a", t.SymbolKind.Variable), ("one", t.SymbolKind.Function), ("two", t.SymbolKind.Function)]


@pytest.mark.asyncio(loop_scope="function")
async def test_formatting(client):
    await open_doc(client, "$x=1+2\nif $x{\necho big}\n")
    edits = await client.text_document_formatting_async(t.DocumentFormattingParams(
        text_document=t.TextDocumentIdentifier(uri=URI), options=t.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert len(edits) == 1
    assert edits[0].new_text == "$x = 1 + 2\nif $x {\n  echo big\n}\n"
