"""Ad networks, inducement wording and promotion-close placement, as plain data: no logic."""

# Hosts that serve ads or ad plug-ins (a request to one of these, or a subdomain, is an ad
# request). Analytics-only hosts (hm.baidu.com, cnzz) are deliberately absent: counting visits
# is not advertising.
AD_HOSTS = (
    # Google
    "googlesyndication.com",
    "doubleclick.net",
    "googleadservices.com",
    "adservice.google.com",
    "googletagservices.com",
    # Baidu 联盟 (百青藤)
    "pos.baidu.com",
    "cpro.baidu.com",
    "cpro.baidustatic.com",
    "cbjs.baidu.com",
    "dup.baidustatic.com",
    "eclick.baidu.com",
    # Alibaba 阿里妈妈 / Tanx
    "tanx.com",
    "alimama.cn",
    # 360 聚效
    "mediav.com",
    # Tencent 广点通
    "gdt.qq.com",
    "pgdt.gtimg.cn",
    # Sogou, other Chinese networks
    "union.sogou.com",
    "ipinyou.com",
    "allyes.com",
    "adsame.com",
    # International networks
    "amazon-adsystem.com",
    "adnxs.com",
    "criteo.com",
    "criteo.net",
    "taboola.com",
    "outbrain.com",
)

# Path fragments of ad loaders, matched as whole path segments or file stems so that
# `/uploads/` or `/downloads/` never match.
AD_PATH_WORDS = (
    "adsbygoogle",
    "show_ads",
    "show_ads_impl",
    "pagead",
    "pagead2",
    "cpro",
    "adsense",
)

# Ad plug-ins of Chinese government CMSs, by the file they load from
# `/plugins/advertise/js/adv/`: 飘窗 (bayWindow), 对联 (couplets) and 弹窗 (ejectWindow).
AD_PLUGIN_DIR = "/plugins/advertise/js/adv/"
AD_PLUGINS = {
    "baywindow": "floating",
    "couplets": "couplet",
    "ejectwindow": "popup",
}

# 诱导下载 / 诱导付款 wording (WEB 2.4.2, APP 5.1.2): candidates for a person to confirm.
INDUCEMENT_DOWNLOAD = (
    "立即下载",
    "马上下载",
    "下载APP",
    "下载App",
    "下载app",
    "下载客户端",
    "扫码下载",
    "安装APP",
    "打开APP",
    "APP专享",
)
INDUCEMENT_PAYMENT = (
    "立即支付",
    "马上支付",
    "立即付款",
    "马上领取",
    "立即领取",
    "领取红包",
    "抢红包",
    "免费领取",
    "立即抢购",
    "限时抢购",
    "立即充值",
    "立即开通",
)
INDUCEMENT = INDUCEMENT_DOWNLOAD + INDUCEMENT_PAYMENT

# Words that mark a floating box as an ad or promotion, not a site widget.
PROMOTION_WORDS = (
    "广告",
    "推广",
    "优惠",
    "活动",
    "礼包",
    "红包",
    "领取",
    "下载",
    "抢购",
    "限时",
    "福利",
    "中奖",
)
# Words that mark a floating box as a site widget (not an ad): back-to-top, customer service,
# and accessibility toolbars and elder-mode switches.
STILL_WIDGET_WORDS = (
    "返回顶部",
    "回到顶部",
    "顶部",
    "置顶",
    "TOP",
    "Top",
    "客服",
    "咨询",
    "留言",
    "反馈",
)
"""A box that drifts across the page by itself is an ad unless it says one of these: a 飘窗
often advertises the site's own 关怀版 or 长者专区, so elder words do not excuse it."""
WIDGET_WORDS = (
    *STILL_WIDGET_WORDS,
    "无障碍",
    "适老",
    "关怀",
    "长辈",
    "长者",
    "老年",
    "读屏",
)

# APP 2.4: the close control of a promotion sits top-left, top-right or bottom-centre of it.
# Areas as (u0, v0, u1, v1) over the promotion's box, 0–1; a close just outside the box
# counts with its nearest area, so the outer edges are open.
CLOSE_AREAS = {
    "top-left": (-1.0, -1.0, 1 / 3, 1 / 3),
    "top-right": (2 / 3, -1.0, 2.0, 1 / 3),
    "bottom-centre": (1 / 3, 2 / 3, 2 / 3, 2.0),
}

# Pop-ups: an overlay covering this share of the first screen (or more) that appeared after
# the HTML was parsed, or stacks over the page.
POPUP_MIN_COVERAGE = 0.3
# Floating boxes: under this share of the first screen, narrower than this share of the
# viewport, and at least this many px² (smaller is an icon, not a promotion).
FLOATING_MAX_COVERAGE = 0.3
FLOATING_MAX_WIDTH_SHARE = 0.6
FLOATING_MIN_AREA = 2500.0
# A box with a close control in the middle of the first screen covering this much is a
# notice modal even without a mask.
NOTICE_MIN_COVERAGE = 0.08
# 对联: narrow boxes (this share of the viewport's width at most) within this share of its
# left and right edges, alike in size (within this share) and mirrored (within these px).
COUPLET_MAX_WIDTH_SHARE = 0.2
COUPLET_EDGE_SHARE = 0.15
COUPLET_SIZE_TOLERANCE = 0.25
COUPLET_MIRROR_PX = 40.0

# A fixed mask covering this much of the first screen covers every text under it; otherwise it
# must cover this share of the text's box.
WHOLE_PAGE_COVERAGE = 0.9
MIN_OVERLAP = 0.5

# Intersection over union at which a control's box is the close control's box.
CLOSE_MATCH_IOU = 0.4
# A mask covering this much of the first screen is full-screen: its panel's box is unknown.
FULL_SCREEN_COVERAGE = 0.9
# Names a close control is recognised by (APP 2.4: it must say what it does).
CLOSE_NAME_WORDS = ("关闭", "关 闭", "close", "跳过", "我知道了", "知道了", "取消", "不再提示")
# Close glyphs stripped from an overlay's words ("× 重要通知").
CLOSE_GLYPHS = "×✕✖╳xX"
