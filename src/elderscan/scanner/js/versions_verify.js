async () => {
  // The visible text of the page as passages (an element's own text, its nearest lang and its
  // direction), and which of its characters no installed font can draw.
  try { await Promise.race([document.fonts.ready, new Promise((r) => setTimeout(r, 2000))]); } catch (e) {}
  const passages = [];
  let budget = 40000;
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  const own = new Map();
  for (let node = walker.nextNode(); node && budget > 0; node = walker.nextNode()) {
    const text = node.nodeValue.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const el = node.parentElement;
    if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION'].includes(el.tagName)) continue;
    if (el.checkVisibility && !el.checkVisibility({ checkVisibilityCSS: true })) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    budget -= text.length;
    const entry = own.get(el);
    if (entry) { entry.text += ' ' + text; continue; }
    const marked = el.closest('[lang]');
    const style = getComputedStyle(el);
    const item = { text, lang: marked ? marked.getAttribute('lang') : null,
      dir: style.direction, vertical: style.writingMode.startsWith('vertical') || style.writingMode.startsWith('sideways'),
      font: style.fontFamily };
    own.set(el, item);
    passages.push(item);
  }
  // Missing glyphs: a character drawn exactly like a code point no font has (U+10FFFD) is a box.
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const draw = (ch, font) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = `32px ${font}`;
    ctx.textBaseline = 'middle';
    ctx.fillText(ch, 8, 32);
    return [ctx.measureText(ch).width, ctx.getImageData(0, 0, 64, 64).data];
  };
  const same = (a, b) => {
    if (Math.abs(a[0] - b[0]) > 0.01) return false;
    for (let i = 3; i < a[1].length; i += 4) if (a[1][i] !== b[1][i]) return false;
    return true;
  };
  const tested = new Set(), missing = [];
  const refs = new Map(), perBlock = new Map();
  for (const p of passages) {
    for (const ch of p.text) {
      const code = ch.codePointAt(0);
      if (/[\s\p{P}\p{S}\p{N}\p{M}]/u.test(ch)) continue;
      const block = code >> 7;
      if (tested.has(ch) || tested.size >= 80 || (perBlock.get(block) || 0) >= 8) continue;
      tested.add(ch);
      perBlock.set(block, (perBlock.get(block) || 0) + 1);
      let ref = refs.get(p.font);
      if (!ref) { ref = draw(String.fromCodePoint(0x10FFFD), p.font); refs.set(p.font, ref); }
      if (same(draw(ch, p.font), ref)) missing.push(ch);
    }
  }
  const html = document.documentElement;
  return { url: location.href, lang: html.getAttribute('lang'),
    dir: html.getAttribute('dir') || (document.body && document.body.getAttribute('dir')) || null,
    passages: passages.slice(0, 1500), tested: tested.size, missing };
}
