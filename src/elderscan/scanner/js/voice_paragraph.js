() => {
  for (const el of document.querySelectorAll('article p, main p, .content p, p, td')) {
    if ((el.innerText || '').trim().length >= 20) { el.setAttribute('data-elderscan-text', '1'); return '[data-elderscan-text="1"]'; }
  }
  return null;
}
