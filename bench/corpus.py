"""A deterministic corpus of Chinese government and bank portal pages for the benchmarks.

Same seed, same bytes: pages are built from fixed vocabularies with `random.Random(seed)`, so
two runs (or two machines) measure the same work. Sizes follow real portals (20–60 KB of HTML,
a shared stylesheet, a handful of images), and each page has what the checks look at: long news
lists, a data table, a search or login form, a toolbar with 无障碍/长者模式/语音朗读, small grey
footer text, and on some pages a floating ad.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

PLACES = ["东川", "西岭", "南湖", "北塘", "青山", "临江", "安平", "永宁", "长乐", "兴化"]
BODIES = ["人民政府", "发展和改革委员会", "民政局", "人力资源和社会保障局", "卫生健康委员会",
          "医疗保障局", "住房和城乡建设局", "交通运输局", "市场监督管理局", "农业农村局"]
BANKS = ["城市商业银行", "农村商业银行", "村镇银行"]
TOPICS = ["适老化改造", "养老服务", "医保报销", "社保卡办理", "老年人优待", "智能技术培训",
          "政务服务", "助餐服务", "居家养老", "长期护理保险", "惠民政策", "公积金提取",
          "网上办事", "反诈宣传", "存款保险", "手机银行", "便民服务", "公交出行"]
VERBS = ["关于做好", "关于印发", "关于开展", "进一步推进", "全面落实", "扎实推进", "加快推进",
         "持续优化", "关于征求", "切实做好"]
TAILS = ["工作的通知", "实施方案", "意见建议的公告", "有关情况的说明", "工作推进会召开",
         "专项行动", "若干措施", "政策解读", "办事指南", "情况通报"]
SENTENCE = ["为深入贯彻落实国家关于切实解决老年人运用智能技术困难的决策部署",
            "进一步提升政务服务的便利化水平", "让老年人在数字时代同样能够便捷地获取信息",
            "各级各部门要高度重视", "按照统一部署", "结合本地实际", "确保各项措施落到实处",
            "对于不会使用智能手机的老年人", "各服务大厅保留人工窗口", "并设置绿色通道",
            "欢迎广大群众提出意见建议", "共同推动数字政府建设惠及更多老年朋友"]

CSS = """
body{margin:0;font:14px/1.5 "Noto Sans CJK SC",sans-serif;color:#333;background:#fff}
.top{background:#f5f5f5;font-size:12px;color:#888;padding:4px 0}
.top a{color:#888;margin-left:12px}.w{width:1200px;margin:0 auto}
header{background:#b71c1c;color:#fff;padding:18px 0}header h1{margin:0;font-size:28px}
nav{background:#8e0000}nav a{display:inline-block;color:#fff;padding:10px 16px;font-size:15px}
.banner{position:relative}.banner img{display:block;width:100%}
.banner p{position:absolute;left:24px;bottom:12px;margin:0;color:#fff;font-size:24px;
text-shadow:0 1px 3px #000}.cols{display:flex;gap:20px;margin:16px 0}
.col{flex:1;border:1px solid #e5e5e5;padding:10px}.col h2{font-size:16px;margin:0 0 8px;
border-bottom:2px solid #b71c1c}.col li{font-size:13px;line-height:2;color:#555}
.col li span{float:right;color:#aaa;font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #ddd;padding:4px}
.form input{height:24px;font-size:12px}.form button{height:26px;font-size:12px}
footer{background:#eee;color:#999;font-size:12px;padding:16px 0;margin-top:20px}
.float-ad{position:fixed;right:8px;bottom:80px;width:160px;height:200px;background:#fff3e0;
border:1px solid #ffb74d;z-index:999;font-size:12px}
.elder body,.elder{font-size:22px}.elder .col li{font-size:22px;line-height:1.8}
"""

SCRIPT = """
document.addEventListener('DOMContentLoaded',function(){var b=document.getElementById('tts');
if(b){b.addEventListener('click',function(){if(window.speechSynthesis){
speechSynthesis.speak(new SpeechSynthesisUtterance(document.querySelector('main').innerText
.slice(0,200)));}});}});
"""


def _headline(rnd: random.Random, place: str) -> str:
    return f"{place}{rnd.choice(VERBS)}{rnd.choice(TOPICS)}{rnd.choice(TAILS)}"


def _paragraph(rnd: random.Random) -> str:
    return "，".join(rnd.sample(SENTENCE, 5)) + "。"


def _png(width: int, height: int, seed: int) -> bytes:
    rnd = random.Random(seed)
    image = Image.new("RGB", (width, height), (rnd.randrange(120, 220), 60, 50))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rnd.randrange(width), rnd.randrange(height)
        draw.ellipse((x, y, x + 80, y + 50), fill=(rnd.randrange(256), rnd.randrange(256), 200))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _inner(rnd: random.Random, pages: int) -> str:
    """A link to one of the inner pages p/0000 … p/<pages-2>; the home page when there are
    none (a 1-page site)."""
    index = rnd.randrange(max(1, pages - 1))
    return f"/p/{index:04d}.html" if pages > 1 else "/"


def _list(rnd: random.Random, place: str, count: int, pages: int) -> str:
    items = []
    for _ in range(count):
        target = _inner(rnd, pages)
        date = f"2026-{rnd.randrange(1, 12):02d}-{rnd.randrange(1, 28):02d}"
        title = _headline(rnd, place)
        items.append(f'<li class="news-item"><a href="{target}" target="_blank" '
                     f'title="{title}">{title}</a><span class="date">{date}</span></li>')
    return "<ul>" + "".join(items) + "</ul>"


def _table(rnd: random.Random, rows: int) -> str:
    head = "<tr><th>序号</th><th>事项名称</th><th>办理部门</th><th>办理时限</th><th>收费</th></tr>"
    body = "".join(
        f"<tr><td>{i + 1}</td><td>{rnd.choice(TOPICS)}{rnd.choice(['申请', '变更', '注销'])}</td>"
        f"<td>{rnd.choice(BODIES)}</td><td>{rnd.randrange(1, 20)}个工作日</td><td>不收费</td></tr>"
        for i in range(rows))
    return f"<table>{head}{body}</table>"


def _sitemap(pages: int) -> str:
    """The home page's 网站地图 block: every page one hop from the start, so a crawl of
    `pages` pages captures exactly the corpus."""
    links = "".join(f'<a href="/p/{i:04d}.html">栏目{i + 1}</a> ' for i in range(pages - 1))
    return f'<section class="sitemap"><h2>网站地图</h2>{links}</section>'


def is_bank(index: int) -> bool:
    """Every fifth page is a bank's (a login form, a floating ad), the others a government
    body's."""
    return index % 5 == 4


def page_html(index: int, pages: int, seed: int, *, elder: bool = False,
              home: bool = False) -> str:
    """Page `index` of the corpus (the same bytes for the same arguments)."""
    rnd = random.Random(seed * 100_003 + index)
    place = rnd.choice(PLACES)
    bank = is_bank(index)
    owner = f"{place}{rnd.choice(BANKS)}" if bank else f"{place}市{rnd.choice(BODIES)}"
    columns = "".join(
        f'<section class="col"><h2>{rnd.choice(TOPICS)}</h2>'
        f"{_list(rnd, place, rnd.randrange(15, 55), pages)}</section>"
        for _ in range(rnd.randrange(3, 6)))
    article = "".join(f"<p>{_paragraph(rnd)}</p>" for _ in range(rnd.randrange(6, 24)))
    form = ('<form class="form" action="/search"><label>用户名 <input name="u"></label>'
            '<label>密码 <input name="p" type="password"></label><button>登录</button></form>'
            if bank else
            '<form class="form" action="/search"><input name="q" placeholder="请输入关键词">'
            "<button>搜索</button></form>")
    ad = ('<div class="float-ad"><b>下载手机银行APP</b><br>扫码领取礼包<br>'
          '<a href="/p/0000.html">立即下载</a><button class="close">×</button></div>'
          if bank and not elder else "")
    # a caption over the photo, as portal carousels have: what the pixel contrast check reads
    banner = (f'<div class="banner"><img src="/img/banner{index % 4}.png" alt="">'
              f"<p>{place}适老化服务专区</p></div>")
    toolbar = ('<div class="top"><div class="w">欢迎访问' + owner +
               '<a href="/elder/index.html">长者模式</a><a href="#" id="tts">语音朗读</a>'
               '<a href="#">无障碍</a><a href="#">English</a></div></div>')
    return (
        f'<!DOCTYPE html><html lang="zh-CN" class="{"elder" if elder else ""}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{_headline(rnd, place)} | {owner}</title>"
        '<link rel="stylesheet" href="/css/site.css"><script src="/js/site.js"></script></head>'
        f"<body>{toolbar}<header><div class=\"w\"><h1>{owner}</h1></div></header>"
        f'<nav><div class="w">{"".join(f"<a href={_inner(rnd, pages)}>{t}</a>" for t in rnd.sample(TOPICS, 9))}</div></nav>'  # noqa: E501
        f'<main class="w">{banner}{form}<div class="cols">{columns}</div>'
        f"<article><h2>{_headline(rnd, place)}</h2>{article}"
        f'<img src="/img/photo{index % 3}.png" alt="{rnd.choice(TOPICS)}" width="480"></article>'
        f"{_table(rnd, rnd.randrange(15, 60))}{_sitemap(pages) if home else ''}</main>{ad}"
        f'<footer><div class="w">主办：{owner}　网站标识码：{seed:04d}{index:06d}　'
        f"ICP备{rnd.randrange(10**7, 10**8)}号<br>{_paragraph(rnd)}</div></footer>"
        "</body></html>"
    )


def build(root: Path, pages: int = 50, seed: int = 1) -> list[str]:
    """Write the corpus into `root` (index, elder version, pages, assets, sitemap); returns the
    page paths in crawl order. Rebuilt only when the stamp says another size or seed."""
    _write(root / "corpus.json", {"pages": pages, "seed": seed, "version": 3}, pages, seed)
    return ["/index.html"] + [f"/p/{i:04d}.html" for i in range(pages - 1)]


def shared_corpus(pages: int, seed: int) -> tuple[Path, list[str]]:
    """The corpus of `pages` and `seed` in the temp folder, where every bench mode finds the
    one it built before; returns its folder and `build`'s page paths."""
    root = Path(tempfile.gettempdir()) / f"elderscan-bench-corpus-{pages}-{seed}"
    return root, build(root, pages, seed)


def small_site(root: Path, pages: int = 3, seed: int = 1) -> list[str]:
    """One small site for the batch benchmark, written into `root`: the same pages as
    `build()` writes (a home page, `pages - 1` inner pages, the elder version of the home page,
    the assets and robots.txt), every link resolving; returns the page paths, the home page as
    the site's root. Rebuilt only when the stamp says another size or seed."""
    _write(root / "site.json", {"kind": "small-site", "pages": pages, "seed": seed,
                                "version": 3}, pages, seed)
    return ["/"] + [f"/p/{i:04d}.html" for i in range(pages - 1)]


def _write(stamp: Path, wanted: dict[str, object], pages: int, seed: int) -> None:
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return
    root = stamp.parent
    for folder in ("p", "css", "js", "img", "elder"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "css" / "site.css").write_text(CSS, "utf-8")
    (root / "js" / "site.js").write_text(SCRIPT, "utf-8")
    for i in range(4):
        (root / "img" / f"banner{i}.png").write_bytes(_png(1200, 220, seed + i))
    for i in range(3):
        (root / "img" / f"photo{i}.png").write_bytes(_png(480, 300, seed + 10 + i))
    (root / "index.html").write_text(page_html(pages - 1, pages, seed, home=True), "utf-8")
    (root / "elder" / "index.html").write_text(
        page_html(pages - 1, pages, seed, elder=True, home=True), "utf-8")
    for i in range(pages - 1):
        (root / "p" / f"{i:04d}.html").write_text(page_html(i, pages, seed), "utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", "utf-8")
    stamp.write_text(json.dumps(wanted), "utf-8")


def small_sites(root: Path, count: int, pages: int = 3, seed: int = 1) -> list[Path]:
    """`count` small sites in `root/s000`, `root/s001`, …, each with its own seed (derived
    from `seed` and its number), so no two sites are the same bytes; returns their folders."""
    folders = [root / f"s{i:03d}" for i in range(count)]
    for i, folder in enumerate(folders):
        small_site(folder, pages, seed * 100_003 + i)
    return folders


def third_party(origins: list[str]) -> str:
    """What a portal pulls from its statistics, advertising and CDN hosts (`origins`, in that
    order, cycled when fewer): 30 resources, each as real portals load them — statistics scripts
    async or injected by an inline snippet, tracking pixels, ad banners and an ad iframe, a share
    widget's scripts and stylesheets (one injected by its script, one loaded as `media="print"`
    and switched on load). None of them blocks the parser, so the page renders in full while its
    `load` event waits for all of them. (A plain `<link rel="stylesheet">` in the body would:
    Chromium holds the parser at it, and the document stays "loading" for as long as the host
    does not answer.)"""
    stats, ads, cdn = (origins[i % len(origins)] for i in range(3))
    parts = [
        "<script>var _hmt=_hmt||[];(function(){var hm=document.createElement('script');"
        f"hm.src='{stats}/hm.js?site=gov';var s=document.getElementsByTagName('script')[0];"
        "s.parentNode.insertBefore(hm,s);})();</script>",
        *(f'<script async src="{stats}/stat/{name}.js"></script>'
          for name in ("count", "z_stat", "ga", "cnzz")),
        *(f'<img src="{stats}/pixel/{i}.gif" width="1" height="1" alt="">' for i in range(5)),
        *(f'<a href="{ads}/click/{i}"><img src="{ads}/banner/{i}.jpg" width="234" height="60" '
          f'alt="广告{i + 1}"></a>' for i in range(12)),
        f'<iframe src="{ads}/frame/slot1.html" width="300" height="250" title="广告"></iframe>',
        f'<script async src="{ads}/ads/show.js"></script>',
        f'<link rel="stylesheet" href="{cdn}/share/icon.css" media="print" '
        "onload=\"this.media='all'\">",
        "<script>(function(){var l=document.createElement('link');l.rel='stylesheet';"
        f"l.href='{cdn}/share/share.css';document.head.appendChild(l);}})();</script>",
        *(f'<script async src="{cdn}/libs/{name}.js"></script>'
          for name in ("jquery.min", "share", "weixin", "player")),
    ]
    return '<div class="third-party">' + "".join(parts) + "</div>"


def heavy_page(index: int, pages: int, seed: int, origins: list[str], *,
               home: bool = False) -> str:
    """Corpus page `index` with `third_party(origins)` at the end of its body."""
    html = page_html(index, pages, seed, home=home)
    return html.replace("</body>", third_party(origins) + "</body>")
