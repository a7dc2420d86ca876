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
