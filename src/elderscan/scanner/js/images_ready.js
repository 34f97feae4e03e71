// Waits until the images the screenshot will show have loaded and decoded. A CSS background
// image is fetched when the element's style is first worked out, often after the load event
// (a hero photo arrived 50 ms after `load` on the fixture); a shot taken before it arrives
// shows the element's background colour where the photo should be, and the pixel contrast
// check judges the text against that colour. Resolves with the number of images waited for.
// A lazy <img> is left alone: it loads when scrolled to, which a shot never does.
(height) => {
  const urls = new Set();
  const waits = [];
  const URL_RE = /url\(\s*(['"]?)(.*?)\1\s*\)/g;
  for (const el of document.querySelectorAll('*')) {
    if (el.localName === 'img') {
      const r = el.getBoundingClientRect();
      if (el.loading !== 'lazy' && !el.complete && r.top + scrollY < height) {
        waits.push(el.decode().catch(() => null));
      }
      continue;
    }
    const image = getComputedStyle(el).backgroundImage;
    if (!image || image === 'none' || !image.includes('url(')) continue;
    const r = el.getBoundingClientRect();
    if (r.top + scrollY >= height || r.width === 0 || r.height === 0) continue;
    for (const m of image.matchAll(URL_RE)) {
      if (m[2] && !urls.has(m[2])) {
        urls.add(m[2]);
        const probe = new Image();
        probe.src = m[2];
        waits.push(probe.decode().catch(() => null));
      }
    }
  }
  return Promise.all(waits).then(() => waits.length);
}
