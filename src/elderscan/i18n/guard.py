"""The address guard's words: why it refused a URL, said in a person's language
(`netguard.AddressRefused.said`). The English ones are also what results record."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "guard.problem.metadata": ("云服务的元数据地址", "a cloud metadata address"),
    "guard.problem.unspecified": ("未指定地址", "the unspecified address"),
    "guard.problem.loopback": ("回环地址", "a loopback address"),
    "guard.problem.link-local": ("链路本地地址", "a link-local address"),
    "guard.problem.multicast": ("组播地址", "a multicast address"),
    "guard.problem.reserved": ("保留地址", "a reserved address"),
    "guard.problem.private": ("内网地址", "a private address"),
    "guard.problem.non-public": ("非公网的保留地址", "a reserved (non-public) address"),
    "guard.is": ("{host} 是{problem}", "{host} is {problem}"),
    "guard.resolves": ("{host} 解析到 {ip}，是{problem}", "{host} resolves to {ip}, {problem}"),
    "guard.metadata_host": ("{host} 是云服务的元数据主机", "{host} is a cloud metadata host"),
    "guard.invalid": ("{address} 不是有效的网址", "{address} is not a valid URL"),
    "guard.no_host": ("{address} 没有主机名", "{address} has no host"),
    "guard.not_web": ("不是网址：{address}", "not a web address: {address}"),
    "guard.scheme": ("只能检测 http 和 https 网址，不能检测 {scheme}",
                     "only http and https URLs can be scanned, not {scheme}"),
    "guard.no_scheme": ("只能检测 http 和 https 网址，不能检测没有协议的网址",
                        "only http and https URLs can be scanned, not a URL without a scheme"),
    "guard.tail": ("（地址防护拒绝回环、内网、链路本地、组播和云元数据地址以及非 http(s) "
                   "网址；ELDERSCAN_ALLOW_HOSTS 可以放行一个主机）",
                   " (the address guard refuses loopback, private, link-local, multicast and "
                   "cloud-metadata addresses and non-http(s) URLs; ELDERSCAN_ALLOW_HOSTS can "
                   "permit a host)"),
}
