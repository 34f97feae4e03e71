// At 200 % zoom: text cut off by an ancestor that hides overflow (WCAG 1.4.4), and whether the
// page now needs horizontal scrolling.
() => {
  const clipped = [];
  const fold = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const seen = new Set();
  let runs = 0;
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  let tn;
  while ((tn = walker.nextNode())) {
    if (!/\S/.test(tn.data)) continue;
    const el = tn.parentElement;
    if (!el || seen.has(el) || ['script', 'style', 'noscript', 'template', 'title'].includes(el.localName)) continue;
    if (el.closest('marquee')) continue;  // scrolls by design; the motion probe reports it
    seen.add(el);
    const range = document.createRange();
    range.selectNodeContents(tn);
    const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    runs++;
    if (clipped.length >= 100) continue;
    let node = el;
    while (node && node !== document.body && node !== document.documentElement) {
      const s = getComputedStyle(node);
      const ox = s.overflowX, oy = s.overflowY;
      const hides = (v) => v === 'hidden' || v === 'clip';
      if (hides(ox) || hides(oy)) {
        const c = node.getBoundingClientRect();
        const outY = hides(oy) && (r.bottom > c.bottom + 1 || r.top < c.top - 1);
        const outX = hides(ox) && (r.right > c.right + 1 || r.left < c.left - 1);
        if ((outY || outX) && c.width > 0 && c.height > 0) {
          const id = (e) => {
            if (e.id) return '#' + CSS.escape(e.id);
            let i = 1, sib = e.previousElementSibling;
            while (sib) { if (sib.localName === e.localName) i++; sib = sib.previousElementSibling; }
            return `${e.parentElement && e.parentElement !== document.body ? id(e.parentElement) + ' > ' : 'body > '}${e.localName}:nth-of-type(${i})`;
          };
          const b = (x) => [x.left + scrollX, x.top + scrollY, x.width, x.height].map((v) => Math.round(v * 10) / 10);
          clipped.push({ selector: id(el), text: fold(tn.data).slice(0, 120), box: b(r), clip_box: b(c) });
          break;
        }
      }
      node = node.parentElement;
    }
  }
  const de = document.documentElement;
  return { clipped, horizontal_scroll: de.scrollWidth > window.innerWidth + 1, text_runs: runs };
}
