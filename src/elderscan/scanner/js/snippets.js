// Element snippets: a short piece of an element's HTML that a site's developer recognises and
// can search for in their templates ("<span class="date" style="color:#999">2024-05-01</span>").
// Evaluated as ({selectors, registry}) => JSON of {snippets: {selector: html}}; with `registry`
// true every selector collect.js handed out gets one too (as anchors.js does).
//   the opening tag with its attributes (each value cut at 40 characters, at most 10 of them),
//   the element's text folded and cut at 60 characters (an empty element shows none), and the
//   closing tag; the whole is cut at 300 characters. Nothing is escaped here: reports escape.
(opts) => {
  const registry = window.__elderscanElements || new Map();
  const selectors = opts.registry ? [...registry.keys(), ...opts.selectors] : opts.selectors;
  const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link',
    'meta', 'source', 'track', 'wbr']);
  const cut = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  const fold = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const resolve = (sel) => {
    if (registry.has(sel)) return registry.get(sel);
    try {
      const list = document.querySelectorAll(sel);
      return list.length === 1 ? list[0] : null;
    } catch (e) {
      return null;
    }
  };
  const snippetOf = (el) => {
    const tag = el.localName;
    let open = '<' + tag;
    const attrs = Array.from(el.attributes).slice(0, 10);
    for (const a of attrs) {
      open += a.value === '' ? ` ${a.name}` : ` ${a.name}="${cut(fold(a.value), 40).replace(/"/g, '&quot;')}"`;
    }
    if (el.attributes.length > attrs.length) open += ' …';
    open += '>';
    if (VOID.has(tag)) return cut(open, 300);
    const text = cut(fold(el.textContent), 60);
    return cut(open, 300 - tag.length - 3 - text.length) + text + `</${tag}>`;
  };
  const snippets = {};
  for (const sel of selectors) {
    if (sel in snippets) continue;
    const el = resolve(sel);
    if (!el || !el.isConnected) continue;
    snippets[sel] = snippetOf(el);
  }
  return JSON.stringify({ snippets });
}
