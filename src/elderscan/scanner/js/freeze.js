// Still pictures of moving pages, as Playwright's `animations: "disabled"` makes them: finite
// CSS animations and transitions are finished, infinite ones cancelled (their first frame) and
// played again by 'thaw' after the screenshot, so the motion probe still sees them move.
// 'freeze' also says where the viewport is, so a shot that lies inside it need not lay the page
// out again at its full height.
(mode) => {
  if (mode === 'freeze') {
    const cancelled = [];
    for (const animation of document.getAnimations()) {
      const timing = animation.effect && animation.effect.getComputedTiming();
      if (timing && Number.isFinite(timing.endTime)) {
        try { animation.finish(); } catch (e) { animation.cancel(); cancelled.push(animation); }
      } else {
        animation.cancel();
        cancelled.push(animation);
      }
    }
    window.__elderscanFrozen = cancelled;
    return { cancelled: cancelled.length, scroll: [scrollX, scrollY], viewport: [innerWidth, innerHeight] };
  }
  for (const animation of window.__elderscanFrozen || []) animation.play();
  window.__elderscanFrozen = [];
  return 0;
}
