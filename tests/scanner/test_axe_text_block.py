"""axe-core's link-in-text-block with our one-walk-a-block `matches` (scanner/js/axe_text_block
.js) judges every link as axe-core's own walk does: on breaks (BR, HR, nested blocks), links
the walk never reaches (in floats, overflow, off-screen boxes, widgets), inline blocks, roles,
tables, lists, shadow roots and slots, and on big blocks of inline links."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conftest import serve_pages, settings
from elderscan.scanner.axe import AXE_VERSION, run_axe
from elderscan.scanner.browser import BrowserPool

pytestmark = pytest.mark.browser

HEAD = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{}</title>'
        "<style>a{{text-decoration:none;color:#333}} .ib{{display:inline-block}}"
        " .blk{{display:block}}</style></head>")
CASES = """<body><main>
<p>办事指南的说明文字 <a id="same" href="#1">第一条</a> 以及后面的更多文字内容。</p>
<p>Some text <a style="color:#06c" href="#2">blue, not underlined</a> and more words here.</p>
<p><a href="#3">开头链接</a><br>中间一段很长很长很长的文字 <a id="mid" href="#4">中间链接\
</a> 继续文字<br>
<a href="#5">末尾链接很长很长很长很长很长很长很长很长很长很长</a></p>
<div>前面的文字 <a href="#6">块前链接</a><div>内嵌的块 <a href="#7">内嵌链接</a></div>
<a href="#8">块后链接</a> 后面的文字</div>
<p>可见文字 <span style="float:left"><a href="#9">浮动里的链接</a></span> 更多文字<br>最后</p>
<p>文字 <span style="float:right"><a href="#10">内联浮动</a></span> 文字文字<hr>\
<a href="#11">横线后</a></p>
<p>按钮前文字 <span role="button" tabindex="0">按钮 <a href="#12">按钮里的链接</a></span> 文字</p>
<p>文字 <a class="ib" href="#13">行内块链接</a> 文字</p>
<p>文字 <a class="blk" href="#14">块链接</a> 文字</p>
<p>文字 <span role="link" tabindex="0" style="color:#333">角色链接</span> 文字
<a role="button" href="#15">按钮角色</a></p>
<table><tr><td>单元格文字 <a href="#16">格内链接</a> 单元格</td><td><a id="alone" href="#17">独链\
</a></td>
</tr></table>
<p>文字 <span style="position:absolute;left:-9999px">屏外 <a href="#18">屏外链接</a></span> 文字
<a href="#19">普通</a></p>
<p>文字 <span style="overflow:hidden">溢出 <a href="#20">溢出里</a></span> 文字 <a href="#21">之后\
</a></p>
<p><a href="#22">只有链接一</a> <a href="#23">只有链接二</a></p>
<p>a <a href="#24">很长的链接文字比周围文字长很多很多很多很多</a> b</p>
<p>文字 <my-card></my-card> 后文 <a href="#25">影子后</a></p>
<p>插槽 <slot-host><a href="#26">被分配的链接</a> 分配的文字</slot-host> 文字</p>
<ul><li>列表文字 <a href="#27">列表链接</a> 列表文字</li><li><a href="#28">列表独链</a></li></ul>
<p>文字 <span><em>强调 <a href="#29">深处链接</a></em></span><br><span>下一段 <a href="#30">下一段\
</a></span></p>
<section><h2>网站地图</h2><a href="#31">甲</a> | <a href="#32">乙</a> | <a href="#33">丙</a>\
</section>
<p>短 <span style="float:left;display:contents">浮动里很长很长很长很长很长的文字</span> \
<a href="#40">一个较长的链接文字</a></p>
<p>短 <span style="overflow:hidden">溢出里很长很长很长很长很长的文字</span> \
<a href="#41">一个较长的链接文字</a></p>
<p>短 <span style="position:sticky">定位里很长很长很长很长很长的文字</span> \
<a href="#42">一个较长的链接文字</a></p>
<p>短 <span style="display:none">藏起来很长很长很长很长很长的文字</span> \
<a href="#43">一个较长的链接文字</a></p>
<p>短 <span role="button" tabindex="0">按钮</span> <a href="#44">链接</a> 文字</p>
<p>很多很多很多的文字 <span style="overflow:hidden"><a href="#45">溢出里的链接</a></span><br>\
<a href="#46">另一链接</a></p>
<div>很多很多很多的文字 <a href="#47">块前的链接</a><p>块</p><a href="#48">块后较长的链接</a> 短\
</div>
<div>很多很多很多的文字 <a href="#49">线前的链接</a><hr style="display:inline">\
<a href="#50">线后较长的链接</a> 短</div>
<p style="display:flex">弹性 <a href="#35">弹性子链接</a> 文字</p>
<p>文字 <label>标签 <input type="checkbox"> <a href="#36">标签里链接</a></label> 文字</p>
</main>
<script>
const plain = 'text-decoration:none;color:#333';
customElements.define('my-card', class extends HTMLElement { constructor() { super();
  this.attachShadow({mode: 'open'}).innerHTML =
    `影子里的文字 <a href="#s" style="${plain}">影子链接</a> 更多影子文字<br>下一行`; } });
customElements.define('slot-host', class extends HTMLElement { constructor() { super();
  this.attachShadow({mode: 'open'}).innerHTML =
    `前 <slot></slot> 后 <a href="#s2" style="${plain}">宿主影子链接</a>`; } });
</script></body>"""
# A 网站地图 paragraph of inline links (the one axe-core's walk made quadratic), then a block
# cut into many stretches by BRs.
MAP = " | ".join(f'<a href="#m{i}">栏目{i}</a>' for i in range(300))
LINES = " ".join(f'文字{i}<br><a href="#l{i}">链{i}</a> 说明' for i in range(100))
BIG = (f"<body><main><p>网站地图：这一段文字说明了所有栏目。 {MAP}</p><div>{LINES}</div>"
       "</main></body>")
PAGES = {"cases.html": HEAD.format("cases") + CASES, "big.html": HEAD.format("big") + BIG}

_BOTH = """async () => {
  if (!window.__elderscanAxe) window.__elderscanAxeLoad();
  const axe = window.__elderscanAxe;
  const run = async () => {
    const r = await axe.run(document, { runOnly: { type: 'rule', values: ['link-in-text-block'] },
                                        resultTypes: ['violations', 'incomplete', 'passes'] });
    const targets = (xs) => xs.flatMap((x) => x.nodes.map((n) => n.target.join(' '))).sort();
    return { violations: targets(r.violations), incomplete: targets(r.incomplete),
             passes: targets(r.passes) };
  };
  const own = await run();
  const installed = window.__elderscanAxeTextBlock(axe);
  return { installed, own, ours: await run() };
}"""

_MATCHES = """() => window.__elderscanAxe._audit.rules
  .find((r) => r.id === 'link-in-text-block').matches.name"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_pages(tmp_path_factory.mktemp("text-block"), PAGES)


def _judged(got: dict[str, list[str]]) -> list[str]:
    return got["violations"] + got["incomplete"] + got["passes"]


@pytest.mark.parametrize(("page", "judged"), [("cases.html", 15), ("big.html", 99)])
async def test_every_link_is_judged_as_axe_cores_own_walk_judges_it(
        site: str, page: str, judged: int) -> None:
    async with (BrowserPool(settings(axe=True, concurrency=1)) as pool,
                pool.tab("desktop") as tab):
        await tab.page.goto(f"{site}{page}")
        got: dict[str, Any] = await tab.page.evaluate(_BOTH)
    assert AXE_VERSION == "4.12.1" and got["installed"] is True
    assert got["ours"] == got["own"]
    assert len(_judged(got["own"])) >= judged, got["own"]
    if page == "cases.html":
        # Not vacuous: a link the colour of its text fails; a cell's only link is no text block.
        assert "#same" in got["own"]["violations"]
        assert "#alone" not in _judged(got["own"])


async def test_a_scan_runs_the_one_walk_and_keeps_it_after_axe_core_is_reset(site: str) -> None:
    """A Chinese run configures axe-core's locale and an English run after it resets axe-core,
    which undoes every configure; the next run puts our `matches` back."""
    async with (BrowserPool(settings(axe=True, concurrency=1)) as pool,
                pool.tab("desktop") as tab):
        await tab.page.goto(f"{site}cases.html")
        for lang in ("zh", "en", "zh"):
            result = await run_axe(tab.page, 30, lang, session=tab.cdp)
            assert await tab.page.evaluate(_MATCHES) == "oneWalkMatches", lang
            failed = next(r for r in result.violations if r.id == "link-in-text-block")
            assert "#same" in {t for node in failed.nodes for t in node.target}
        # Another axe-core than the one the walk mirrors keeps its own rule.
        other = "window.__elderscanAxeTextBlock({ ...window.__elderscanAxe, version: '4.13.0' })"
        assert await tab.page.evaluate(other) is False
