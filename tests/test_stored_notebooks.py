"""Stored notebooks do not depend on the kernel's timing: under load the kernel may deliver
one print in two stream messages (seen in notebook 01: 'data/processed/tables.csv' and the
rest of its list arrived apart), so ``pages.store`` joins consecutive stream outputs."""

import json

from socialstudy.publish import pages


def _notebook(outputs):
    return {"cells": [{"cell_type": "code", "metadata": {}, "outputs": outputs, "source": ""}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _stored(tmp_path, outputs):
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(_notebook(outputs)), encoding="utf-8")
    pages.store(path)
    return json.loads(path.read_text(encoding="utf-8"))["cells"][0]["outputs"]


def test_a_print_split_in_two_messages_is_stored_as_one_output(tmp_path):
    split = [{"name": "stdout", "output_type": "stream", "text": ["data/processed/tables.csv"]},
             {"name": "stdout", "output_type": "stream",
              "text": ["\n", "data/processed/facts.csv\n"]}]
    whole = [{"name": "stdout", "output_type": "stream",
              "text": "data/processed/tables.csv\ndata/processed/facts.csv\n"}]
    assert _stored(tmp_path, split) == _stored(tmp_path, whole) == [
        {"name": "stdout", "output_type": "stream",
         "text": ["data/processed/tables.csv\n", "data/processed/facts.csv\n"]}]


def test_streams_apart_or_of_another_name_stay_apart(tmp_path):
    table = {"output_type": "display_data", "data": {"text/plain": ["t"]}, "metadata": {}}
    outputs = [{"name": "stdout", "output_type": "stream", "text": ["a\n"]}, table,
               {"name": "stdout", "output_type": "stream", "text": ["b\n"]}]
    assert _stored(tmp_path, outputs) == outputs


def test_stored_outputs_hold_no_memory_address():
    """A repr such as ``<Figure at 0x7f…>`` changes on every run and says nothing to a
    reader. Images are left out: they are base64 bytes, in which a run like '0x544030'
    occurs by chance (Figure 2's PNG in notebooks 02 and 05, character 413 261) and
    decodes to pixels, not to an address."""
    import re

    from socialstudy.engine import dag
    from socialstudy.paths import ROOT
    address = re.compile(r"\bat 0x[0-9a-fA-F]+|\b0x[0-9a-fA-F]{6,}\b")
    for step in dag.load_table().steps:
        if not step.notebook:
            continue
        cells = json.loads((ROOT / step.notebook).read_text(encoding="utf-8"))["cells"]
        for n, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                texts = [output.get("text", "")] + [
                    value for kind, value in (output.get("data") or {}).items()
                    if not kind.startswith("image/")]
                for text in texts:
                    text = "".join(text) if isinstance(text, list) else str(text)
                    assert not address.search(text), (step.notebook, n, address.search(text))
