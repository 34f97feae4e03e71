(stop) => {
  const re = new RegExp(stop, 'i');
  for (const el of document.querySelectorAll('a,button,[role=button],[onclick],[tabindex]')) {
    const label = [el.innerText, el.getAttribute('aria-label'), el.title].filter(Boolean).join(' ');
    const r = el.getBoundingClientRect();
    if (re.test(label) && r.width > 1 && r.height > 1) {
      el.setAttribute('data-elderscan-stop', '1');
      return '[data-elderscan-stop="1"]';
    }
  }
  return null;
}
