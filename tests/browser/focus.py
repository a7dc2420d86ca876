"""Where the keyboard focus is and whether a person can see it."""
import re

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const path = [];
  for (let e = el; e && e !== document.body; e = e.parentElement) {
    const index = Array.from(e.parentElement ? e.parentElement.children : []).indexOf(e) + 1;
    path.unshift(e.tagName.toLowerCase() + (e.id ? "#" + e.id : ":nth-child(" + index + ")"));
  }
  // What the outline is drawn on: the first painted background just outside the element.
  const gap = (parseFloat(style.outlineOffset) || 0) + (parseFloat(style.outlineWidth) || 0) / 2;
  let x = rect.left - gap;
  if (x < 1) x = rect.right + gap;
  const y = Math.min(Math.max(rect.top + rect.height / 2, 1), innerHeight - 1);
  const behind = document.elementsFromPoint(Math.min(x, innerWidth - 1), y)
    .filter(e => e !== el && !el.contains(e))[0] || el.parentElement;
  let backdrop = "rgb(255, 255, 255)";
  for (let e = behind; e; e = e.parentElement) {
    const colour = getComputedStyle(e).backgroundColor;
    if (colour && colour !== "transparent" && !/, 0\\)$/.test(colour)) { backdrop = colour; break; }
  }
  return {
    tag: el.tagName.toLowerCase(), path: path.join(" > "),
    name: (el.getAttribute("aria-label") || el.innerText || el.value || "").trim(),
    visible: rect.width > 0 && rect.height > 0 && style.visibility !== "hidden",
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    outlineStyle: style.outlineStyle + " " + style.outlineWidth, outlineColor: style.outlineColor, backdrop,
  };
}"""


def focus_report(page) -> dict:
    """The focused element: its path, name, visibility, outline and the colour behind it."""
    return page.evaluate(FOCUSED)


def _luminance(colour: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"[\d.]+", colour)[:3])

    def linear(channel):
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (alpha ignored)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def tab_until(page, name_part: str, limit: int = 120) -> dict:
    """Press Tab until the focused element's name contains `name_part`, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focus_report(page)
        if name_part in stop["name"]:
            return stop
    raise AssertionError(f"{limit} presses of Tab never reached “{name_part}”")
