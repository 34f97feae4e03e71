"""Fix help: element snippets, suggested colours, grouped colour pairs, the rules' pages and
how to fix each rule (keys `fix.*`; `fix.how.<rule id>` per rule)."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "fix.snippet": ("元素代码", "HTML"),
    "fix.suggest": ("建议颜色", "Suggested colour"),
    "fix.suggest.line": ("建议把文字颜色改为 {suggest}（对比度 {ratio}:1，达到 {threshold}:1）",
                         "change the text colour to {suggest} (contrast {ratio}:1, reaching "
                         "{threshold}:1)"),
    "fix.suggest.none": ("这个背景上没有同色调的颜色能达到要求，请更换背景色",
                         "no colour of this hue reaches the threshold on this background; "
                         "change the background"),
    "fix.colour": ("实测颜色", "Colour judged"),
    "fix.declared": ("页面声明的颜色为半透明的 {declared}，叠加在背景上显示为 {color}",
                     "the page declares the translucent {declared}, which shows as {color} "
                     "over its background"),
    "fix.covered": ("截图时此处被弹窗遮罩（{where}）盖住：标注截图中的颜色比实际判定的颜色暗，"
                    "判定依据是元素本身的颜色",
                    "a pop-up's mask ({where}) lay over this spot when the screenshot was "
                    "taken: the marked crop looks darker than the colours judged, which are "
                    "the element's own"),
    "fix.covered.clear": ("截图时此处被弹窗遮罩（{where}）盖住；标注截图取自隐藏遮罩后另拍的截图，"
                          "与判定的颜色一致",
                          "a pop-up's mask ({where}) lay over this spot; the marked crop comes "
                          "from a second screenshot taken with the mask hidden, as judged"),
    "fix.group": ("{count} 个元素：{color} 在 {background} 上，{ratio}:1，要求 {threshold}:1",
                  "{count} elements: {color} on {background}, {ratio}:1, needs {threshold}:1"),
    "fix.group.suggest": ("建议改为 {suggest}", "suggest {suggest}"),
    "fix.group.large": ("大字", "large text"),
    "fix.group.normal": ("普通文字", "normal text"),
    "fix.group.elements": ("涉及的元素（{count}）", "The elements ({count})"),
    "fix.group.size": ("（{size}）", " ({size})"),
    "fix.label": ("{label}：", "{label}: "),
    "fix.rule.link": ("规则说明与整改方法", "About this rule and how to fix it"),
    "fix.how": ("如何整改", "How to fix"),
    "fix.why": ("为什么重要", "Why it matters"),
    "fix.rule.title": ("检查规则：{title}", "Rule: {title}"),
    "fix.rule.id": ("规则编号", "Rule id"),
    "fix.rule.dimension": ("维度", "Dimension"),
    "fix.rule.severity": ("严重程度", "Severity"),
    "fix.rule.clause": ("依据条款", "Clause"),
    "fix.rule.failure": ("不通过时的说法", "When it fails"),
    "fix.rule.modes": ("适用模式", "Applies to"),
    "fix.rule.mode.standard": ("标准版", "standard pages"),
    "fix.rule.mode.elder": ("适老模式", "elder mode"),
    "fix.rule.scope.site": ("整个网站（判定一次）", "the whole site (judged once)"),
    "fix.rule.veto": ("一票否决项：不通过时总分最高计为 {cap} 分",
                      "A veto: when it fails the total is capped at {cap} points"),
    "fix.rule.axe": ("这是 axe-core 规则 {axe_id}：每条问题的说明来自 axe-core。",
                     "This is the axe-core rule {axe_id}: each finding's words come from "
                     "axe-core."),
    "fix.rule.unknown": ("没有编号为“{id}”的检查规则", "There is no rule with the id \"{id}\""),
    "fix.rules": ("检查规则", "Rules"),
    # How to fix, per rule
    "fix.how.target.size": (
        "把按钮、链接等可点击区域做到至少 44×44 像素（可加大内边距而不改字号），"
        "相邻目标之间留出间距。",
        "Make buttons and links at least 44×44 px (padding counts; the text need not grow) "
        "and leave space between neighbouring targets."),
    "fix.how.focus.visible": (
        "不要用 outline: none 去掉焦点框；"
        "为 :focus-visible 设置清晰的轮廓（如 3px 实线，与背景对比度不低于 3:1）。",
        "Do not remove the focus ring with outline: none; give :focus-visible a clear "
        "outline (say 3 px solid, at least 3:1 against the background)."),
    "fix.how.motion.timing": (
        "去掉定时刷新（meta refresh）；"
        "自动轮播和滚动内容提供暂停按钮，或在 5 秒内停止；声音不要自动播放。",
        "Remove timed refreshes (meta refresh); give carousels and tickers a pause control "
        "or stop them within 5 seconds; do not play sound by itself."),
    "fix.how.captcha.alternative": (
        "图形验证码旁提供“放大”和“语音验证码”，或改用短信等不依赖视力的验证方式。",
        "Offer \"enlarge\" and a voice CAPTCHA beside a visual one, or use a check that does "
        "not depend on sight (an SMS code)."),
    "fix.how.zoom.reflow": (
        "放大到 200% 时文字不应被截断：避免固定高度加 overflow: hidden，"
        "容器用 min-height 和相对单位。",
        "Text must not be cut off at 200 % zoom: avoid fixed heights with overflow: hidden; "
        "use min-height and relative units."),
    "fix.how.ads.popup": (
        "去掉加载即弹出的弹窗和悬浮广告；确需保留的提示，"
        "关闭按钮不小于 44×44，放在右上、左上或底部居中，"
        "命名为“关闭”，并可用键盘操作。",
        "Remove pop-ups shown on load and floating ads; where a notice must stay, give it a "
        "close button of at least 44×44, top-right, top-left or bottom-centre, named "
        "\"close\", and reachable by keyboard."),
    "fix.how.ads.elder-mode": (
        "适老模式中去掉全部广告、广告插件和弹窗（规范要求，属否决项）。",
        "Remove every ad, ad plug-in and pop-up from elder mode (required; a veto)."),
    "fix.how.ads.inducement": (
        "避免“立即下载”“马上领取”“立即支付”等诱导用语；"
        "下载和付款按钮写清将发生什么，并需用户确认。",
        "Avoid wording such as \"download now\", \"claim now\" or \"pay now\"; say what will "
        "happen and ask the user to confirm downloads and payments."),
    "fix.how.wcag.*": (
        "按 axe-core 规则说明修复：图片加替代文字，"
        "控件加名称，页面设置 lang 和标题，表单输入框关联标签。",
        "Fix as the axe-core rule describes: alternative text for images, names for "
        "controls, a lang and a title for the page, labels for form inputs."),
    "fix.how.contrast.text": (
        "加深（或在深色底上调浅）文字颜色，使普通文字对比度不低于 4.5:1、大字不低于 3:1；"
        "问题明细给出了同色调的建议颜色。半透明文字按叠加后的颜色计算。",
        "Darken the text (or lighten it on a dark background) to at least 4.5:1 for normal "
        "and 3:1 for large text; each finding suggests a colour of the same hue. Translucent "
        "text is judged as it shows, blended over its background."),
    "fix.how.contrast.over-image": (
        "给图片上的文字加半透明深色衬底或文字阴影，或把文字移出图片，使最不利处的对比度也达标。",
        "Put a translucent dark panel or a text shadow behind text over images, or move the "
        "text off the image, so it passes even at its worst spot."),
    "fix.how.contrast.enhanced": (
        "适老模式的文字颜色再加深一些：普通文字达到 7:1、大字达到 4.5:1（参考性指标）。",
        "Darken elder-mode text further: 7:1 for normal and 4.5:1 for large text "
        "(informational)."),
    "fix.how.font.size": (
        "正文字号不小于 18 像素（适老模式更大）；用 rem 等相对单位，便于整体放大。",
        "Set main text to at least 18 px (more in elder mode), in relative units such as rem "
        "so it scales as a whole."),
    "fix.how.font.line-spacing": (
        "正文行高不小于字号的 1.3 倍（line-height: 1.5 更易读），不要写死像素行高。",
        "Give main text a line height of at least 1.3 times its size (1.5 reads better); do "
        "not fix it in pixels."),
    "fix.how.font.text-spacing": (
        "不要在 style 属性中用 !important 锁定字间距、词间距和行高，让用户样式可以调整。",
        "Do not lock letter, word and line spacing with !important in style attributes, so a "
        "user's style can change them."),
    "fix.how.zoom.allowed": (
        "viewport 中去掉 user-scalable=no 和 maximum-scale=1，允许用户双指放大。",
        "Drop user-scalable=no and maximum-scale=1 from the viewport meta so users can pinch "
        "to zoom."),
    "fix.how.elder.entry": (
        "在首页首屏醒目位置提供“关怀版”“长者模式”等适老模式入口。",
        "Put an elder-mode entry (a \"care version\" or \"elder mode\" link) in a prominent "
        "place on the home page's "
        "first screen."),
    "fix.how.elder.entry-prominent": (
        "适老模式入口放在首屏，文字清楚（如“关怀版”），可用键盘到达，并有可读出的名称。",
        "Keep the elder-mode entry on the first screen, with clear words (\"care version\"), "
        "reachable "
        "by keyboard and with a name a screen reader can say."),
    "fix.how.elder.effective": (
        "确保适老模式真正生效：正文不小于 18 像素且比标准版更大，所需脚本和样式都能加载。",
        "Make elder mode really work: main text at least 18 px and larger than standard, with "
        "every script and stylesheet it needs loading."),
    "fix.how.elder.max-scale": (
        "主要功能提供的最大字号不小于 30 像素（如字号调节中的最大一档）。",
        "Offer at least 30 px as the largest size for main functions (the top step of a text "
        "size control)."),
    "fix.how.lang.version-required": (
        "提供本地区要求的语言版本（如藏文版、维吾尔文版），"
        "链接可用，页面内容确为该文字并标注 lang。",
        "Offer the language version the region requires (Tibetan, Uyghur, ...), with a working "
        "link, pages really in that script, and a matching lang."),
    "fix.how.voice.readaloud": (
        "提供“语音朗读”“读屏”等朗读按钮，放在醒目位置并有清楚的名称。",
        "Offer a read-aloud control, in a prominent place and clearly named."),
    "fix.how.voice.functional": (
        "确保朗读按钮按下后真的发声（语音合成或音频可达），并能停止。",
        "Make the read-aloud control really speak when pressed (speech synthesis or a "
        "reachable audio service) and let it be stopped."),
    "fix.how.voice.screenreader": (
        "为读屏软件准备好页面：图片替代文字、控件名称、页面 lang 和标题。",
        "Prepare pages for screen readers: alternative text, control names, a lang and a "
        "title."),
}
