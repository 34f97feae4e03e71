() => {
  if (window.aria && typeof window.aria.oldFixedStart === 'function') { window.aria.oldFixedStart(); return true; }
  return false;
}
