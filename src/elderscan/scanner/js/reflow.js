// At 200 % zoom: text cut off by an ancestor that hides overflow (WCAG 1.4.4), and whether the
// page now needs horizontal scrolling. Only text below an overflow:hidden/clip box is a
// candidate; a scrolling box in between keeps the text reachable. For each clipped text the
// facts a judgement needs: the axis, whether the box shows an ellipsis, and whether the box is
// exactly one line tall (a deliberate one-line design rather than a zoom failure).
() => {
  const clipped = [];
  const fold = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const hides = (v) => v === 'hidden' || v === 'clip';
  const scrolls = (v) => v === 'auto' || v === 'scroll';
  const describe = (e) => {
    if (e.id) return '#' + CSS.escape(e.id);
    let i = 1, sib = e.previousElementSibling;
    while (sib) { if (sib.localName === e.localName) i++; sib = sib.previousElementSibling; }
    const parent = e.parentElement;
    return (parent && parent !== document.body ? describe(parent) + ' > ' : 'body > ') + `${e.localName}:nth-of-type(${i})`;
  };
  const b = (x) => [x.left + scrollX, x.top + scrollY, x.width, x.height].map((v) => Math.round(v * 10) / 10);
  let runs = 0, candidates = 0;
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  let tn;
  while ((tn = walker.nextNode())) {
    if (!/\S/.test(tn.data)) continue;
    const el = tn.parentElement;
    if (!el || ['script', 'style', 'noscript', 'template', 'title'].includes(el.localName)) continue;
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml' || el.closest('marquee,[aria-hidden="true"]')) continue;
    if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const range = document.createRange();
    range.selectNodeContents(tn);
    const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    runs++;
    // The nearest ancestor that hides overflow on either axis (the other axis then computes
    // to auto, which is no escape). A box that scrolls on both axes before it keeps the text
    // reachable: still a candidate, never clipped.
    let clipBox = null, reachable = false;
    for (let node = el; node && node !== document.body && node !== document.documentElement; node = node.parentElement) {
      const s = getComputedStyle(node);
      if (hides(s.overflowX) || hides(s.overflowY)) { clipBox = node; break; }
      if (scrolls(s.overflowX) && scrolls(s.overflowY)) reachable = true;
    }
    if (!clipBox) continue;
    const cb = clipBox.getBoundingClientRect();
    if (cb.width < 2 || cb.height < 2) continue;  // visually-hidden text, not a zoom problem
    candidates++;
    if (reachable || clipped.length >= 100) continue;
    const s = getComputedStyle(clipBox);
    const outX = hides(s.overflowX) && (r.right > cb.right + 1 || r.left < cb.left - 1);
    const outY = hides(s.overflowY) && (r.bottom > cb.bottom + 1 || r.top < cb.top - 1);
    if (!outX && !outY) continue;
    const lineHeight = parseFloat(s.lineHeight);
    clipped.push({
      selector: describe(el), text: fold(tn.data).slice(0, 120), box: b(r), clip_box: b(cb),
      axis: outY ? (outX ? 'both' : 'y') : 'x',
      ellipsis: s.textOverflow === 'ellipsis',
      one_line_box: !Number.isNaN(lineHeight) && Math.abs(cb.height - lineHeight) < 1,
    });
  }
  const de = document.documentElement;
  return { clipped, horizontal_scroll: de.scrollWidth > window.innerWidth + 1, text_runs: runs, candidates };
}
