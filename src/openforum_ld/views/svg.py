"""Tree diagrams as SVG: boxes in columns, one column per level, each box a link to a page.

The layout is computed here, in whole pixels and in a fixed order, so the same tree always gives
the same bytes. No font is measured: text widths are estimated from a table of character
widths wide enough for the sans-serif fonts browsers have, and labels are wrapped to fit.
Only presentation attributes style the drawing (no `style`), so it shows under a Content
Security Policy that refuses inline styles, as an `<img>` and opened on its own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
FONT_SIZE = 14
LINE_HEIGHT = 18
_PAD = 16  # around the drawing
_BOX_PAD_X = 8
_BOX_PAD_Y = 6
_COLUMN_GAP = 36
_SIBLING_GAP = 8
_ROOT_GAP = 16
_MAX_LINES = 4
_TEXT = "#1b1f24"
_MUTED = "#4d5661"
_CONNECTOR = "#7a8591"

# Estimated advance widths in ems: narrow letters, wide letters, and everything else.
_NARROW = set("fijlrtI.,;:'!|()[] ")
_WIDE = set("mwMWOQGDHNCU@%&")


@dataclass(frozen=True)
class NodeStyle:
    """How the boxes of one level are drawn."""

    fill: str
    stroke: str
    bold: bool = False


@dataclass(frozen=True)
class Column:
    """One level of a tree: its boxes' width and style, and the heading written above it."""

    width: int
    style: NodeStyle
    heading: str | None = None


@dataclass
class TreeNode:
    """A box in the tree: what it says, the resource it stands for, and the boxes to its
    right."""

    label: str
    iri: str
    children: list[TreeNode] = field(default_factory=list)


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """The estimated width of `text` in pixels: generous, so that text fits its box."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.34
        elif char in _WIDE or char.isdigit() or char.isupper():
            ems += 0.76
        else:
            ems += 0.61
    return ems * size


def wrap(text: str, width: float, max_lines: int = _MAX_LINES) -> list[str]:
    """`text` in lines that fit `width` pixels, broken between words (within a word only when it
    is wider than a line); past `max_lines`, the last line ends with an ellipsis."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word) > width:
            cut = max(1, _fitting(word, width))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…") > width:
            last = last[:-1].rstrip()
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines or [""]


def _fitting(word: str, width: float) -> int:
    """How many characters of `word` fit `width`."""
    for end in range(len(word), 0, -1):
        if text_width(word[:end]) <= width:
            return end
    return 0


@dataclass(frozen=True)
class _Placed:
    node: TreeNode
    depth: int
    x: int
    y: int
    width: int
    lines: tuple[str, ...]

    @property
    def height(self) -> int:
        return len(self.lines) * LINE_HEIGHT + 2 * _BOX_PAD_Y

    @property
    def middle(self) -> int:
        return self.y + self.height // 2


class _Layout:
    """Places every box: a node is centred on the block its subtree fills."""

    def __init__(self, columns: Sequence[Column], top: int) -> None:
        self.columns = columns
        self.top = top
        self.lefts = [
            _PAD + sum(c.width for c in columns[:d]) + d * _COLUMN_GAP for d in range(len(columns))
        ]
        self.placed: list[_Placed] = []
        self.edges: list[tuple[_Placed, _Placed]] = []
        # A box's lines and a subtree's height, by (node, depth): placing a tree asks for them
        # again at every level above, and wrapping text is what the layout spends its time on.
        self._lines: dict[tuple[int, int], tuple[str, ...]] = {}
        self._heights: dict[tuple[int, int], int] = {}

    def column(self, depth: int) -> Column:
        return self.columns[depth]

    def lines(self, node: TreeNode, depth: int) -> tuple[str, ...]:
        key = (id(node), depth)
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = tuple(
                wrap(node.label, self.column(depth).width - 2 * _BOX_PAD_X)
            )
        return lines

    def height(self, node: TreeNode, depth: int) -> int:
        key = (id(node), depth)
        height = self._heights.get(key)
        if height is None:
            height = self._heights[key] = self._height(node, depth)
        return height

    def _height(self, node: TreeNode, depth: int) -> int:
        own = len(self.lines(node, depth)) * LINE_HEIGHT + 2 * _BOX_PAD_Y
        if not node.children:
            return own
        below = sum(self.height(child, depth + 1) for child in node.children)
        return max(own, below + _SIBLING_GAP * (len(node.children) - 1))

    def place(self, node: TreeNode, depth: int, top: int) -> _Placed:
        block = self.height(node, depth)
        lines = self.lines(node, depth)
        own = len(lines) * LINE_HEIGHT + 2 * _BOX_PAD_Y
        placed = _Placed(
            node,
            depth,
            self.lefts[depth],
            top + (block - own) // 2,
            self.column(depth).width,
            lines,
        )
        self.placed.append(placed)
        below = sum(self.height(child, depth + 1) for child in node.children)
        below += _SIBLING_GAP * max(0, len(node.children) - 1)
        child_top = top + (block - below) // 2
        for child in node.children:
            self.edges.append((placed, self.place(child, depth + 1, child_top)))
            child_top += self.height(child, depth + 1) + _SIBLING_GAP
        return placed

    def place_all(self, roots: Sequence[TreeNode]) -> int:
        """Place every tree one under the other; the bottom of the last."""
        top = self.top
        for root in roots:
            self.place(root, 0, top)
            top += self.height(root, 0) + _ROOT_GAP
        return top - _ROOT_GAP if roots else top


def tree_svg(
    roots: Sequence[TreeNode],
    columns: Sequence[Column],
    *,
    link: Callable[[str], str],
    title: str,
    description: str,
    language: str,
) -> bytes:
    """The trees under `roots` as an SVG document, each box a link to `link(iri)`: `title`
    written at the top and, with `description`, given as the drawing's accessible name and
    description. Levels past the last of `columns` are drawn like it."""
    depth = max((_depth(root) for root in roots), default=1)
    columns = [*columns, *[columns[-1]] * (depth - len(columns))]
    headings = any(c.heading for c in columns)
    top = _PAD + LINE_HEIGHT + 10 + (LINE_HEIGHT + 6 if headings else 0)
    layout = _Layout(columns, top)
    bottom = layout.place_all(roots)
    width = layout.lefts[-1] + columns[-1].width + _PAD
    height = bottom + _PAD

    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "{http://www.w3.org/XML/1998/namespace}lang": language,
            "aria-labelledby": "diagram-title diagram-description",
            "font-family": FONT_FAMILY,
            "font-size": str(FONT_SIZE),
        },
    )
    ET.SubElement(svg, "title", {"id": "diagram-title"}).text = title
    ET.SubElement(svg, "desc", {"id": "diagram-description"}).text = description
    ET.SubElement(svg, "rect", {"width": "100%", "height": "100%", "fill": "#ffffff"})
    heading = ET.SubElement(
        svg,
        "text",
        {
            "x": str(_PAD),
            "y": str(_PAD + FONT_SIZE + 2),
            "font-size": str(FONT_SIZE + 3),
            "font-weight": "bold",
            "fill": _TEXT,
        },
    )
    heading.text = wrap(title, width - 2 * _PAD, max_lines=1)[0]
    if headings:
        for depth, column in enumerate(columns):
            if column.heading:
                label = ET.SubElement(
                    svg,
                    "text",
                    {
                        "x": str(layout.lefts[depth]),
                        "y": str(top - 8),
                        "fill": _MUTED,
                        "font-weight": "bold",
                    },
                )
                label.text = column.heading

    connectors = ET.SubElement(
        svg, "g", {"fill": "none", "stroke": _CONNECTOR, "stroke-width": "1.5"}
    )
    for parent, child in layout.edges:
        start, end = parent.x + parent.width, child.x
        bend = start + (end - start) // 2
        ET.SubElement(
            connectors,
            "path",
            {"d": f"M{start} {parent.middle}H{bend}V{child.middle}H{end}"},
        )
    boxes = ET.SubElement(svg, "g")
    for placed in layout.placed:
        _draw_box(boxes, placed, layout.column(placed.depth).style, link(placed.node.iri))
    ET.indent(svg, space=" ")
    text = ET.tostring(svg, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'.encode()


def _depth(node: TreeNode) -> int:
    return 1 + max((_depth(child) for child in node.children), default=0)


def _draw_box(parent: ET.Element, placed: _Placed, style: NodeStyle, href: str) -> None:
    link = ET.SubElement(parent, "a", {"href": href})
    ET.SubElement(link, "title").text = placed.node.label
    ET.SubElement(
        link,
        "rect",
        {
            "x": str(placed.x),
            "y": str(placed.y),
            "width": str(placed.width),
            "height": str(placed.height),
            "rx": "4",
            "fill": style.fill,
            "stroke": style.stroke,
        },
    )
    for number, line in enumerate(placed.lines):
        attributes = {
            "x": str(placed.x + _BOX_PAD_X),
            "y": str(placed.y + _BOX_PAD_Y + number * LINE_HEIGHT + FONT_SIZE),
            "fill": _TEXT,
        }
        if style.bold:
            attributes["font-weight"] = "bold"
        ET.SubElement(link, "text", attributes).text = line
