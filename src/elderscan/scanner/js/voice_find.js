([words, stop]) => {
  const re = new RegExp(words.join('|'), 'i');
  const stopRe = new RegExp(stop, 'i');
  const sel = 'a,button,[role=button],input[type=button],span[onclick],div[onclick],li[onclick],i[onclick],[tabindex]';
  for (const el of document.querySelectorAll(sel)) {
    const label = [el.innerText, el.getAttribute('aria-label'), el.title, el.value].filter(Boolean).join(' ');
    if (!re.test(label) || stopRe.test(label)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    if (el.checkVisibility && !el.checkVisibility({ checkVisibilityCSS: true })) continue;
    el.setAttribute('data-elderscan-voice', '1');
    return '[data-elderscan-voice="1"]';
  }
  return null;
}
