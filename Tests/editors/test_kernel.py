# `dks kernel` under Jupyter's own client (jupyter_client) and notebook runner (nbclient,
# nbconvert): one session per notebook, streams, results, HTML tables for containers and ps,
# errors with the caret, interrupting a running `sleep 30`, completion and inspection, and
# examples/tour.ipynb executed end to end. The notebooks run on the local engine.
import json
import os
import subprocess
import sys
import uuid

import jupyter_client
import nbformat
import pytest
from nbclient import NotebookClient

from conftest import DKS, ROOT


@pytest.fixture(scope="module")
def jupyter_path(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("jupyter")
    out = subprocess.run([DKS, "kernel", "--install", "--prefix", str(prefix)], check=True, capture_output=True, text=True)
    spec_dir = prefix / "share" / "jupyter" / "kernels" / "dks"
    assert str(spec_dir) in out.stdout
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec["argv"][1:] == ["kernel", "-f", "{connection_file}"]
    assert os.path.samefile(spec["argv"][0], DKS)
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    yield os.environ["JUPYTER_PATH"]
    if old is None:
        del os.environ["JUPYTER_PATH"]
    else:
        os.environ["JUPYTER_PATH"] = old


@pytest.fixture(scope="module")
def kernel(jupyter_path):
    km = jupyter_client.KernelManager(kernel_name="dks")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def run(kc, code, timeout=60):
    """Executes a cell; returns (reply content, iopub messages for it, in order)."""
    msg_id = kc.execute(code)
    messages = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        messages.append(msg)
    reply = kc.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id
    return reply["content"], messages


def streams(messages, name="stdout"):
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == name)


def of_type(messages, t):
    return [m for m in messages if m["msg_type"] == t]


def test_kernel_info(kernel):
    _, kc = kernel
    kc.kernel_info()
    info = kc.get_shell_msg(timeout=30)["content"]
    assert info["language_info"]["name"] == "dks"
    assert info["implementation"] == "dks"


def test_streams_and_results_and_session_state(kernel):
    _, kc = kernel
    reply, msgs = run(kc, "echo hello from dks\n^sh -c 'echo to-stderr >&2'\n$answer = 6 * 7")
    assert reply["status"] == "ok"
    assert streams(msgs) == "hello from dks\n"
    assert streams(msgs, "stderr") == "to-stderr\n"
    assert of_type(msgs, "execute_input")[0]["content"]["code"].startswith("echo hello")
    reply, msgs = run(kc, "$answer + 0.5")
    result = of_type(msgs, "execute_result")
    assert result and result[0]["content"]["data"]["text/plain"] == "42.5"
    assert result[0]["content"]["execution_count"] == reply["execution_count"]


def test_output_streams_as_it_comes(kernel):
    _, kc = kernel
    reply, msgs = run(kc, "for $i in 1..3 { echo line $i; sleep 0.4 }")
    assert reply["status"] == "ok"
    chunks = [m["content"]["text"] for m in msgs if m["msg_type"] == "stream"]
    assert "".join(chunks) == "line 1\nline 2\nline 3\n"
    assert len(chunks) >= 2, chunks


def test_errors_carry_the_caret(kernel):
    _, kc = kernel
    reply, msgs = run(kc, "$x = 1\necho $nope")
    assert reply["status"] == "error"
    assert reply["ename"] == "NameError"
    err = of_type(msgs, "error")[0]["content"]
    text = "\n".join(err["traceback"])
    assert ":2:6: error: undefined variable $nope" in text
    assert "echo $nope" in text and "     ^" in text
    reply, msgs = run(kc, "if {")
    assert reply["status"] == "error" and reply["ename"] == "SyntaxError"


def test_containers_and_ps_as_html_tables(kernel):
    _, kc = kernel
    name = "dks-kernel-" + uuid.uuid4().hex[:8]
    reply, _ = run(kc, f"$c = run -d --name {name} dks-test/busybox sleep 300")
    assert reply["status"] == "ok", reply
    try:
        reply, msgs = run(kc, "$c")
        data = of_type(msgs, "execute_result")[0]["content"]["data"]
        assert f"<container {name}" in data["text/plain"]
        assert "<table" in data["text/html"] and f"<td style=\"text-align:left\">{name}</td>" in data["text/html"]
        reply, msgs = run(kc, f"ps --filter name={name}\necho after")
        shown = of_type(msgs, "display_data")
        assert shown, msgs
        assert "<th style=\"text-align:left\">CONTAINER ID</th>" in shown[0]["content"]["data"]["text/html"]
        assert name in shown[0]["content"]["data"]["text/plain"]
        assert streams(msgs) == "after\n"
        # In a capture, ps prints its text table as in a script.
        reply, msgs = run(kc, f"$t = capture {{ ps --filter name={name} }}\necho (len(lines($t)))")
        assert streams(msgs) == "2\n"
    finally:
        run(kc, "rm -f $c")


def test_interrupt_stops_the_running_command(kernel):
    km, kc = kernel
    msg_id = kc.execute("sleep 30\necho not reached")
    # Wait until the cell runs, then Ctrl-C as the notebook sends it (SIGINT to the kernel).
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            break
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=20)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "Interrupted"
    # The session goes on, as at the prompt.
    reply, msgs = run(kc, "echo still here")
    assert streams(msgs) == "still here\n"


def test_completion_and_inspection(kernel):
    _, kc = kernel
    run(kc, "$config = {name: \"web\", replicas: 2}")
    kc.complete("wait-h", 6)
    content = kc.get_shell_msg(timeout=30)["content"]
    assert "wait-healthy" in content["matches"] and content["cursor_start"] == 0
    code = "echo $config.re"
    kc.complete(code, len(code))
    content = kc.get_shell_msg(timeout=30)["content"]
    assert content["matches"] == ["replicas"] and content["cursor_start"] == len(code) - 2
    kc.inspect("logs $c --tail 5", 2)
    content = kc.get_shell_msg(timeout=30)["content"]
    assert content["found"] and "usage: logs" in content["data"]["text/plain"]
    kc.inspect("echo $config", 10)
    content = kc.get_shell_msg(timeout=30)["content"]
    assert content["found"] and "replicas: 2" in content["data"]["text/plain"]
    kc.inspect("if true { } else { }", 13)       # a keyword: its statement's help topic
    content = kc.get_shell_msg(timeout=30)["content"]
    assert content["found"] and "example:" in content["data"]["text/plain"]
    kc.is_complete("if true {")
    assert kc.get_shell_msg(timeout=30)["content"]["status"] == "incomplete"


def test_notebook_runs_with_nbclient(jupyter_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "dks", "display_name": "dks", "language": "dks"}
    nb.cells = [nbformat.v4.new_code_cell("$n = 20"), nbformat.v4.new_code_cell("echo \"n is $n\"\n$n * 2")]
    NotebookClient(nb, timeout=60, kernel_name="dks").execute()
    outputs = nb.cells[1].outputs
    assert outputs[0]["text"] == "n is 20\n"
    assert outputs[1]["data"]["text/plain"] == "40"


def test_tour_notebook_executes_with_nbconvert(jupyter_path, tmp_path):
    out = tmp_path / "tour.out.ipynb"
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                    str(ROOT / "examples" / "tour.ipynb"), "--output", str(out)], check=True, timeout=300,
                   capture_output=True)
    nb = nbformat.read(out, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    expected_errors = [c for c in code if "raises-exception" in c.get("metadata", {}).get("tags", [])]
    assert len(errors) == len(expected_errors)
    text = "".join(o.get("text", "") for c in code for o in c.outputs if o.output_type == "stream")
    assert "hello from dks" in text
    assert any("text/html" in o.get("data", {}) for c in code for o in c.outputs)
