// axe-core's link-in-text-block, with its text-block walk done once a block instead of once a
// link (see TEXT_BLOCK in axe.py). Called with axe-core; configures the rule's `matches` and
// returns true, or returns false and changes nothing when this copy of axe-core is not the one
// the walk below mirrors.
(axe) => {
  const MIRRORS = '4.12.1';
  const c = axe.commons || {};
  const u = axe.utils || {};
  const dom = c.dom || {};
  const text = c.text || {};
  const aria = c.aria || {};
  const needed = [dom.getComposedParent, dom.isVisibleOnScreen, dom.isInTextBlock, text.sanitize,
    aria.getRoleType, aria.getExplicitRole, u.nodeLookup, u.getNodeFromTree];
  if (axe.version !== MIRRORS || !axe._cache || needed.some((f) => typeof f !== 'function')) {
    return false;
  }
  const BLOCK = ['block', 'list-item', 'table', 'flex', 'grid'];
  const INLINE_BLOCK = ['inline-block', 'inline-flex', 'inline-grid'];
  const display = (node) => u.nodeLookup(node).vNode.getComputedStylePropertyValue('display');
  const isBlock = (node) => {
    const d = display(node);
    return BLOCK.includes(d) || d.substr(0, 6) === 'table-';
  };
  const hides = (el) => el.style.display === 'none' || el.style.overflow === 'hidden'
    || !['', null, 'none'].includes(el.style.float)
    || !['', null, 'relative'].includes(el.style.position);

  // axe-core walks the link's block and keeps the text of the stretch between two breaks (a BR,
  // an HR or a nested block) that holds the link; a link the walk never reaches gets the last
  // stretch. The stretches do not depend on the link, so one walk a block records them: each
  // stretch's text and widget text, and the stretch of every element it reaches. The walk goes
  // only as far as the links asked about so far need, as axe-core's own stops at the end of the
  // link's stretch: a block's later part is walked only if a later link asks.
  const walker = (root) => {
    const block = { parts: [], of: new Map(), done: false, steps: null };
    let plain = '';
    let widget = '';
    function* walk(vNode) {
      const el = vNode.actualNode;
      let descend = true;
      if (el !== root.actualNode) {
        if (el.nodeType === 3) plain += el.nodeValue;
        if (el.nodeType === 1) {
          block.of.set(el, block.parts.length);
          const nested = isBlock(el);
          if (nested || ['BR', 'HR'].includes((el.nodeName || '').toUpperCase())) {
            block.parts.push({ plain, widget, answer: undefined });
            plain = '';
            widget = '';
            yield;
          }
          if (nested || hides(el)) {
            descend = false;
          } else if (aria.getRoleType(el) === 'widget') {
            widget += el.textContent;
            descend = false;
          }
        }
      }
      if (descend) for (const child of vNode.children) yield* walk(child);
    }
    block.steps = (function* () {
      yield* walk(root);
      block.parts.push({ plain, widget, answer: undefined });
      block.done = true;
    })();
    return block;
  };

  const stretchOf = (block, el) => {
    for (;;) {
      const at = block.of.get(el);
      if (at !== undefined && at < block.parts.length) return block.parts[at];
      if (block.done) return block.parts[block.parts.length - 1];
      if (block.steps.next().done && !block.done) return null;  // the walk threw
    }
  };

  const cacheKey = 'elderscan.textBlocks';
  const inTextBlock = (node) => {
    const { vNode, domNode } = u.nodeLookup(node);
    if (isBlock(domNode) || INLINE_BLOCK.includes(vNode.getComputedStylePropertyValue('display'))) {
      return false;
    }
    const name = (domNode.nodeName || '').toUpperCase();
    let parent = dom.getComposedParent(domNode);
    while (parent && !isBlock(parent)) parent = dom.getComposedParent(parent);
    const root = u.getNodeFromTree(parent);
    if (!root || name === 'BR' || name === 'HR') return dom.isInTextBlock(node);
    let blocks = axe._cache.get(cacheKey);  // emptied by axe-core at the end of every run
    if (!blocks) {
      blocks = new Map();
      axe._cache.set(cacheKey, blocks);
    }
    let block = blocks.get(root);
    if (!block) {
      block = walker(root);
      blocks.set(root, block);
    }
    let part = null;
    try {
      part = stretchOf(block, domNode);
    } catch (e) {
      part = null;
    }
    if (!part) {  // axe-core's own walk meets what ours met, and throws it for axe-core to report
      blocks.delete(root);
      return dom.isInTextBlock(node);
    }
    if (part.answer === undefined) {  // the same for every link of the stretch
      part.answer = text.sanitize(part.plain).length > text.sanitize(part.widget).length;
    }
    return part.answer;
  };

  // link-in-text-block-matches of axe-core 4.12.1, with the walk above.
  const oneWalkMatches = (node) => {
    const label = text.sanitize(node.innerText);
    const role = aria.getExplicitRole(node);
    if ((role && role !== 'link') || !label || !dom.isVisibleOnScreen(node)) return false;
    return inTextBlock(node);
  };
  axe.configure({ rules: [{ id: 'link-in-text-block', matches: oneWalkMatches }] });
  return true;
}
