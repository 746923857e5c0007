"""The tree layout on its own: boxes that never overlap, however deep or wide the tree, labels
that come back from an XML parser as written, and links as given."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from openforum_ld.views.svg import Column, NodeStyle, TreeNode, tree_svg

SVG = "{http://www.w3.org/2000/svg}"
STYLE = NodeStyle("#ffffff", "#000000")


def _chain(depth: int, width: int, label: str) -> TreeNode:
    node = TreeNode(f"{label} {depth}", f"urn:x:{label}:{depth}")
    if depth > 1:
        node.children = [_chain(depth - 1, width, f"{label}.{i}") for i in range(width)]
    return node


def test_boxes_never_overlap_however_deep_the_tree_goes() -> None:
    roots = [_chain(4, 2, "root"), TreeNode("a long label " * 12, "urn:x:long")]
    svg = ET.fromstring(
        tree_svg(
            roots,
            [Column(120, STYLE, "first")],
            link=lambda iri: "#" + iri,
            title="t",
            description="d",
            language="en",
        )
    )
    rects = [
        tuple(int(r.get(k, "")) for k in ("x", "y", "width", "height"))
        for r in svg.iter(f"{SVG}rect")
        if r.get("x") is not None
    ]
    assert len(rects) == 1 + 2 + 4 + 8 + 1
    assert len({x for x, _, _, _ in rects}) == 4, "one column per level"
    for (x1, y1, w1, h1), (x2, y2, w2, h2) in itertools.combinations(rects, 2):
        assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1
    width, height = int(svg.get("width", "")), int(svg.get("height", ""))
    assert all(x + w <= width and y + h <= height for x, y, w, h in rects)


def test_labels_and_links_come_back_as_written() -> None:
    label = """<b>"Quotes" & 'apostrophes'</b>"""
    svg = ET.fromstring(
        tree_svg(
            [TreeNode(label, "urn:x:1")],
            [Column(400, STYLE)],
            link=lambda iri: f"page?iri={iri}&lang=fr",
            title=label,
            description=label,
            language="fr",
        )
    )
    (link,) = svg.iter(f"{SVG}a")
    assert link.get("href") == "page?iri=urn:x:1&lang=fr"
    assert link.findtext(f"{SVG}title") == label
    assert svg.findtext(f"{SVG}title") == label
    assert [e.tag for e in svg.iter() if e.tag.removeprefix(SVG) in ("b", "script")] == []
