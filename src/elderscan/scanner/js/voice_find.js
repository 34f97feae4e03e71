([words, notVoice, voiceInput, attrWords, readWords]) => {
  // Every control on the page that may start read-aloud, best first: labelled ones (语音朗读,
  // 播报 …, any element, clickable or not: a dead 语音 button is still a 语音 button) and
  // image-only ones (a click handler or pointer cursor, and voice/speak/read/tts … in its
  // class, id, src, alt or title). Voice input (语音搜索, a microphone by a search box) is
  // listed as such and never pressed. An element keeps its mark across calls (the probe
  // looks again once a toolbar has opened).
  const W = words.map(([w, s]) => [w.toLowerCase(), s]);
  const NOT = new RegExp(notVoice, 'i');
  const INPUT = new RegExp(voiceInput, 'i');
  const ATTR = new RegExp(attrWords, 'i');
  const READ = new RegExp(readWords, 'i');
  const clicky = window.__elderscanClicky || new WeakSet();
  const fold = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const visible = (el, r) => r.width >= 2 && r.height >= 2 &&
    (!el.checkVisibility || el.checkVisibility({ checkVisibilityCSS: true }));
  const nameOf = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const t = by.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean)
        .map((n) => fold(n.textContent)).join(' ');
      if (t) return t;
    }
    const direct = fold(el.getAttribute('aria-label')) || (el.localName === 'img' ? fold(el.alt) : '') ||
      fold(el.innerText) || (el.localName === 'input' ? fold(el.value) : '');
    if (direct) return direct;
    const inner = Array.from(el.querySelectorAll('img[alt],svg title')).map((i) => fold(i.getAttribute('alt') || i.textContent)).join(' ');
    return fold(inner) || fold(el.title);
  };
  const attrs = (el) => {
    const cls = typeof el.className === 'string' ? el.className : (el.className && el.className.baseVal) || '';
    const parts = [el.id, cls, el.getAttribute('src'), el.getAttribute('alt'), el.title];
    for (const a of el.attributes) if (a.name.startsWith('data-') && !a.name.startsWith('data-elderscan')) parts.push(a.value);
    for (const img of el.querySelectorAll('img')) parts.push(img.getAttribute('src'), img.className);
    const bg = getComputedStyle(el).backgroundImage;
    if (bg && bg !== 'none') parts.push(bg);
    return parts.filter(Boolean).join(' ');
  };
  const clickable = (el) => clicky.has(el) || typeof el.onclick === 'function' || el.hasAttribute('onclick') ||
    el.matches('a[href],button,[role=button],input[type=button],input[type=image],input[type=submit]') ||
    getComputedStyle(el).cursor === 'pointer';
  const bySearch = (el) => {
    for (let box = el.parentElement, hops = 0; box && hops < 3; box = box.parentElement, hops++) {
      if (box.matches('form,[role=search]') || /search|sousuo/i.test(box.id + ' ' + box.className)) {
        if (box.querySelector('input[type=search],input[type=text],input:not([type])')) return true;
      }
    }
    return false;
  };
  const landmark = (el) => {
    const l = el.closest('header,nav,main,footer,aside,[role=banner],[role=navigation],[role=main],[role=contentinfo]');
    if (!l) return null;
    const role = l.getAttribute('role');
    return { banner: 'header', navigation: 'nav', main: 'main', contentinfo: 'footer' }[role] || l.localName;
  };
  // The same path as the capture's (collect.js), so findings meet the capture's anchors.
  const pathOf = (el) => {
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 8; node = node.parentElement) {
      if (node.id && document.querySelectorAll('#' + CSS.escape(node.id)).length === 1) {
        parts.unshift('#' + CSS.escape(node.id));
        return parts.join(' > ');
      }
      const tag = node.localName;
      if (tag === 'html' || tag === 'body') { parts.unshift(tag); if (tag === 'body') break; continue; }
      let index = 1, same = false;
      for (let sib = node.previousElementSibling; sib; sib = sib.previousElementSibling) if (sib.localName === tag) index++;
      for (let sib = node.nextElementSibling; sib && !same; sib = sib.nextElementSibling) if (sib.localName === tag) same = true;
      parts.unshift(index > 1 || same ? `${tag}:nth-of-type(${index})` : tag);
    }
    return parts.join(' > ');
  };
  const found = [];
  const seen = new Set();
  const all = document.body ? document.body.querySelectorAll('*') : [];
  for (let i = 0; i < all.length && i < 8000; i++) {
    const el = all[i];
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION', 'HTML', 'BODY'].includes(el.tagName)) continue;
    const r = el.getBoundingClientRect();
    if (!visible(el, r)) continue;
    const text = fold(el.innerText);
    const label = [text.length <= 12 ? text : '', el.getAttribute('aria-label'), el.title,
      el.localName === 'img' ? el.alt : '', el.localName === 'input' ? el.value : ''].filter(Boolean).join(' ');
    let keyword = null, weight = 0, source = null;
    for (const [w, s] of W) {
      if (label.toLowerCase().includes(w)) { keyword = w; weight = s; source = text.toLowerCase().includes(w) ? 'text' : 'name'; break; }
    }
    const click = clickable(el);
    if (keyword === null) {
      if (text || !click) continue;
      const m = ATTR.exec(attrs(el));
      if (!m) continue;
      keyword = m[0].toLowerCase(); weight = 7; source = 'attribute';
    }
    if (NOT.test(label)) continue;
    // A box around the control (a form, a toolbar) is not the control, unless it takes clicks.
    if (source === 'text' && !click &&
        Array.from(el.children).some((c) => fold(c.innerText).toLowerCase().includes(keyword))) continue;
    // The outermost element with this label is the control: <a><span>朗读</span></a> is one.
    const parent = el.parentElement;
    if (parent && text && fold(parent.innerText) === text && seen.has(parent)) continue;
    if (parent && !text && seen.has(parent)) continue;
    seen.add(el);
    const input = INPUT.test(label + ' ' + attrs(el)) || (bySearch(el) && !READ.test(label));
    let mark = el.getAttribute('data-elderscan-voice');
    if (!mark) {
      window.__elderscanMarks = (window.__elderscanMarks || 0) + 1;
      mark = String(window.__elderscanMarks);
      el.setAttribute('data-elderscan-voice', mark);
    }
    const first = r.top + scrollY < innerHeight;
    found.push({
      text: text.slice(0, 80), name: nameOf(el).slice(0, 80), tag: el.localName,
      href: el.href && typeof el.href === 'string' ? el.href : null,
      selector: pathOf(el), mark: `[data-elderscan-voice="${mark}"]`,
      box: [r.left + scrollX, r.top + scrollY, r.width, r.height],
      in_first_screen: first, landmark: landmark(el),
      keyboard_reachable: el.tabIndex >= 0 && !el.disabled,
      keyword, source, input,
      score: weight + (click ? 1 : -1) + (first ? 1 : 0) + (input ? -20 : 0),
    });
  }
  found.sort((a, b) => b.score - a.score);
  return found.slice(0, 20);
}
