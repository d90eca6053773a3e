"""The nbconvert exporter of the study's pages: the ``lab`` template with the study's
blocks (``TEMPLATE``: no scripts loaded, code folded under "Show the code", the run's
selection under the title, alt text on every figure), made once per process."""

from __future__ import annotations

import functools
import re

TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}{{ super() }}
<nav class="study-nav"></nav>
<p class="study-selection">{{ resources.selection | escape_html }}</p>
{%- endblock body_header -%}
{% block input_group -%}
<details class="study-code"><summary>Show the code</summary>
{{ super() }}
</details>
{%- endblock input_group %}
{% block input %}
<div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor" data-type="inline">
     <div class="cm-editor cm-s-jupyter">
{{ cell.source | highlight_code(metadata=cell.metadata) }}
     </div>
</div>
{%- endblock input %}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img alt="{{ output.metadata.get('alt', '') | escape_html }}" \
src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}">
</div>
{% endblock data_png %}
"""
# what nbconvert's HTMLExporter marks focusable for keyboard readers (its BeautifulSoup
# pass, which parses every page a second time: :func:`exporter` does it instead)
FOCUSABLE = re.compile(r'(<div class="(?:jp-Cell-inputWrapper|[^"]*\bjp-OutputArea-output\b'
                       r'[^"]*)")')


@functools.lru_cache(maxsize=1)
def exporter():
    """One exporter per process: loading the template is the slow part. It renders as
    nbconvert's HTMLExporter does, without that class's last pass through BeautifulSoup,
    which costs a third of a page's time to give the cells ``tabindex`` (done by
    ``FOCUSABLE``) and alt text to images without it (every image here has its own:
    the template's ``data_png``); :func:`sanitize` parses the page once, after."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class StudyExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", Highlight2HTML(
                pygments_lexer=nb.metadata.get("language_info", {}).get("pygments_lexer"),
                parent=self))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return FOCUSABLE.sub(r'\1 tabindex="0"', body), resources

    made = StudyExporter(template_name="lab", template_file="study.html.j2",
                         extra_loaders=[DictLoader({"study.html.j2": TEMPLATE})])
    made.exclude_input_prompt = True
    made.exclude_output_prompt = True
    made.embed_images = True
    return made
