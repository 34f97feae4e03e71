() => {
  const ls = {};
  try { for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); ls[k] = localStorage.getItem(k); } } catch (e) {}
  const attrs = {};
  for (const a of document.body ? document.body.attributes : []) attrs[a.name] = a.value;
  const sizes = [];
  for (const el of document.querySelectorAll('p, li, td, dd, article, .content, span, a')) {
    if (!el.textContent.trim() || el.children.length > 3) continue;
    sizes.push(parseFloat(getComputedStyle(el).fontSize));
    if (sizes.length > 400) break;
  }
  sizes.sort((a, b) => a - b);
  return { url: location.href, html_class: document.documentElement.className,
    body: attrs, storage: ls, cookie: document.cookie,
    text_px: sizes.length ? sizes[Math.floor(sizes.length / 2)] : null };
}
