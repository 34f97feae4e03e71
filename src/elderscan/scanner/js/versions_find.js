() => {
  // Controls that may lead to another version of the site: links, buttons, script toggles
  // (zh_tran('t'), translatePage()), options of a language drop-down, and <link hreflang>.
  const pathOf = (el) => {
    if (el.id && document.querySelectorAll('#' + CSS.escape(el.id)).length === 1) return '#' + CSS.escape(el.id);
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && node !== document.documentElement; node = node.parentElement) {
      if (node.id && document.querySelectorAll('#' + CSS.escape(node.id)).length === 1) { parts.unshift('#' + CSS.escape(node.id)); break; }
      let index = 1;
      for (let sib = node.previousElementSibling; sib; sib = sib.previousElementSibling) if (sib.localName === node.localName) index++;
      parts.unshift(`${node.localName}:nth-of-type(${index})`);
    }
    return parts.join(' > ');
  };
  const clean = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const out = [];
  const sel = 'a, button, [role=button], [role=menuitem], [role=link], input[type=button], [onclick], option';
  for (const el of document.querySelectorAll(sel)) {
    if (out.length >= 800) break;
    const option = el.localName === 'option';
    const text = clean(option ? el.textContent : (el.innerText || el.textContent || el.value));
    const aria = el.getAttribute('aria-label');
    const title = el.getAttribute('title');
    if (!text && !aria && !title) continue;
    if (text.length > 40) continue;
    const host = option ? el.closest('select') : el;
    if (!host) continue;
    const r = host.getBoundingClientRect();
    const visible = r.width > 1 && r.height > 1 && (!host.checkVisibility || host.checkVisibility({ checkVisibilityCSS: true }));
    out.push({
      tag: el.localName, text, aria, title,
      hreflang: el.getAttribute('hreflang'), lang: el.getAttribute('lang'),
      href: el.localName === 'a' && el.href ? el.href : null,
      onclick: clean(el.getAttribute('onclick') || (option ? host.getAttribute('onchange') : '')).slice(0, 200),
      value: option ? el.value : null,
      selector: pathOf(host),
      visible, box: visible ? [r.left + scrollX, r.top + scrollY, r.width, r.height] : null,
    });
  }
  for (const link of document.querySelectorAll('link[rel~=alternate][hreflang]')) {
    out.push({ tag: 'link', text: '', aria: null, title: link.title || null,
      hreflang: link.getAttribute('hreflang'), lang: null, href: link.href, onclick: '',
      value: null, selector: null, visible: false, box: null });
  }
  return out;
}
