"""What makes a page wider than the screen."""
_WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsInPlace = el => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== "visible") return true;
    }
    return false;
  };
  return Array.from(document.querySelectorAll("body *")).filter(el => {
    if (!el.getClientRects().length || scrollsInPlace(el)) return false;
    const rect = el.getBoundingClientRect();
    // Text that overflows its box (a long word) widens the page without widening the box.
    const reach = getComputedStyle(el).overflowX === "visible" ? Math.max(rect.right, rect.left + el.scrollWidth) : rect.right;
    return reach > width + 1;
  }).slice(0, 8).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().replace(/\\s+/g, ".") : ""));
}"""


def too_wide_elements(page) -> list[str]:
    """Visible elements reaching past the window's right edge (outermost first), as tag#id.class."""
    return page.evaluate(_WIDER_THAN_THE_SCREEN)


# WCAG 2.2's target size (2.5.8, AA): a control is 24 x 24 px, or a 24 px circle centred
# on it touches no other control nor another small one's circle. Links inside a sentence
# are exempt. axe-core ships this rule switched off, so the survey measures it here.
_SMALL_TARGETS = """() => {
  const selector = "header a, header button, header input, header select, header summary, " +
    "main a, main button, main input, main select, main summary, main textarea, footer a, footer button";
  const targets = Array.from(document.querySelectorAll(selector)).filter(el => el.type !== "hidden"
    && el.checkVisibility({visibilityProperty: true}) && !el.closest(".visually-hidden"));
  const rects = targets.map(el => el.getBoundingClientRect());
  const inSentence = el => el.tagName === "A" && getComputedStyle(el).display === "inline"
    && Array.from(el.parentElement.childNodes).some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  const name = el => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : "")
    + ' "' + (el.innerText || el.value || el.name || "").trim().replace(/\\s+/g, " ").slice(0, 30) + '"';
  const found = [];
  targets.forEach((el, i) => {
    const r = rects[i];
    if ((r.width >= 24 && r.height >= 24) || inSentence(el)) return;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const crowded = targets.find((other, j) => {
      if (i === j || other.contains(el) || el.contains(other)) return false;
      const o = rects[j];
      const dx = Math.max(o.left - x, 0, x - o.right), dy = Math.max(o.top - y, 0, y - o.bottom);
      if (Math.hypot(dx, dy) < 12) return true;
      const small = o.width < 24 || o.height < 24;
      return small && Math.hypot(o.left + o.width / 2 - x, o.top + o.height / 2 - y) < 24;
    });
    if (crowded) found.push(`${name(el)} ${Math.round(r.width)}x${Math.round(r.height)} px, next to ${name(crowded)}`);
  });
  return found;
}"""


def small_targets(page) -> list[str]:
    """Controls smaller than 24 x 24 px without the spacing that makes up for it, one line each."""
    return page.evaluate(_SMALL_TARGETS)
