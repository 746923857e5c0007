// The neighbourhood of an entity page: the people, organizations, programmes and places linked
// to the resource, in either direction, drawn as SVG around it. The neighbours come from the
// resource's own JSON-LD twin (the page's figure says where it is), so the page carries no
// second copy of them. The figure stays hidden until the drawing is done: without scripts, or
// when the twin cannot be fetched (a site opened from the disk), the page's lists say it all.

const SVG = "http://www.w3.org/2000/svg";
const PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel";
const WIDTH = 940;
const ROW = 26;
const PAD = 12;
const LEGEND = 30;
const CENTRE_WIDTH = 240;
const LINE = 18;
const DOT_LEFT = 290;
const DOT_RIGHT = WIDTH - DOT_LEFT;
const LABEL_SPACE = DOT_LEFT - PAD - 14;
const MOST = 60; // neighbours drawn at most; the lists have them all

function svgElement(name, attributes, parent) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  parent.appendChild(element);
  return element;
}

function asArray(value) {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

// Enough of a compact JSON-LD context to read a twin: prefixes, aliases of @id, the terms
// whose string values are IRIs, and the IRI each term stands for.
function readContext(context) {
  const prefixes = new Map();
  const idKeys = new Set(["@id"]);
  const keywords = new Set(); // aliases of @type and other keywords
  const iriTerms = new Set();
  const termIris = new Map();
  for (const [term, definition] of Object.entries(context || {})) {
    if (definition === "@id") {
      idKeys.add(term);
    } else if (typeof definition === "string" && definition.startsWith("@")) {
      keywords.add(term);
    } else if (typeof definition === "string" && /[/#]$/.test(definition)) {
      prefixes.set(term, definition);
    } else if (definition && typeof definition === "object") {
      if (definition["@type"] === "@id") iriTerms.add(term);
      if (typeof definition["@id"] === "string") termIris.set(term, definition["@id"]);
    }
  }
  const expand = (value) => {
    const colon = value.indexOf(":");
    if (colon > 0 && !value.startsWith("//", colon + 1)) {
      const prefix = prefixes.get(value.slice(0, colon));
      if (prefix !== undefined) return prefix + value.slice(colon + 1);
    }
    return value;
  };
  const termIri = (term) => expand(termIris.get(term) ?? term);
  return { expand, idKeys, keywords, iriTerms, termIri };
}

// The best of a node's labels for a reader of `language`: that language, else English, else any.
function chooseLabel(value, language) {
  const found = new Map();
  for (const item of asArray(value)) {
    if (typeof item === "string") {
      found.set("", found.get("") ?? item);
    } else if (item && typeof item === "object" && "@value" in item) {
      found.set(item["@language"] ?? "", item["@value"]);
    } else if (item && typeof item === "object") {
      for (const [tag, texts] of Object.entries(item)) {
        const first = asArray(texts)[0];
        if (typeof first === "string" && !found.has(tag)) found.set(tag, first);
      }
    }
  }
  for (const tag of [language, "en", ""]) {
    if (found.has(tag)) return found.get(tag);
  }
  return found.values().next().value ?? null;
}

// The resources linked to `self` (either way) that are entities of one of `kinds`, with labels.
export function neighboursOf(document_, self, kinds, language) {
  const { expand, idKeys, keywords, iriTerms, termIri } = readContext(document_["@context"]);
  const nodes = asArray(document_["@graph"] ?? document_);
  const labels = new Map();
  const linked = new Set();
  for (const node of nodes) {
    const idKey = Object.keys(node).find((key) => idKeys.has(key));
    if (idKey === undefined || typeof node[idKey] !== "string") continue;
    const subject = expand(node[idKey]);
    for (const [key, value] of Object.entries(node)) {
      if (idKeys.has(key) || keywords.has(key) || key.startsWith("@")) continue;
      if (termIri(key) === PREF_LABEL) {
        const label = chooseLabel(value, language);
        if (label !== null) labels.set(subject, label);
        continue;
      }
      for (const item of asArray(value)) {
        let object = null;
        if (item && typeof item === "object" && typeof item["@id"] === "string") {
          object = expand(item["@id"]);
        } else if (typeof item === "string" && iriTerms.has(key)) {
          object = expand(item);
        }
        if (object === null) continue;
        if (subject === self && object !== self) linked.add(object);
        if (object === self && subject !== self) linked.add(subject);
      }
    }
  }
  const prefix = self.slice(0, self.lastIndexOf("/", self.lastIndexOf("/") - 1) + 1);
  const order = Object.keys(kinds);
  const found = [];
  for (const iri of linked) {
    if (!iri.startsWith(prefix)) continue;
    const [kind, slug, ...rest] = iri.slice(prefix.length).split("/");
    if (rest.length || !slug || !order.includes(kind)) continue;
    found.push({ iri, kind, slug, label: labels.get(iri) ?? slug });
  }
  const collator = new Intl.Collator(language);
  found.sort(
    (a, b) =>
      order.indexOf(a.kind) - order.indexOf(b.kind) ||
      collator.compare(a.label, b.label) ||
      (a.iri < b.iri ? -1 : a.iri > b.iri ? 1 : 0),
  );
  return found;
}

// Shorten a drawn label until it fits `width` pixels, ending it with an ellipsis.
function fit(text, width) {
  const full = text.textContent;
  if (text.getComputedTextLength() <= width) return;
  let length = full.length;
  while (length > 1) {
    length -= 1;
    text.textContent = `${full.slice(0, length).trimEnd()}…`;
    if (text.getComputedTextLength() <= width) return;
  }
}

function draw(figure, selfLabel, neighbours, kinds) {
  const shown = neighbours.slice(0, MOST);
  const half = Math.ceil(shown.length / 2);
  const sides = [
    { entries: shown.slice(0, half), dot: DOT_LEFT, anchor: "end", edge: (WIDTH - CENTRE_WIDTH) / 2 },
    { entries: shown.slice(half), dot: DOT_RIGHT, anchor: "start", edge: (WIDTH + CENTRE_WIDTH) / 2 },
  ];
  const rows = Math.max(sides[0].entries.length, 2);
  const top = PAD + LEGEND;
  const height = top + rows * ROW + PAD;
  const middle = top + (rows * ROW) / 2;
  figure.hidden = false; // before drawing: hidden text has no length to measure
  const svg = svgElement(
    "svg",
    {
      viewBox: `0 0 ${WIDTH} ${height}`,
      width: WIDTH,
      height,
      class: "neighbourhood-diagram",
      role: "group",
      "aria-labelledby": figure.getAttribute("aria-labelledby"),
    },
    figure,
  );
  figure.insertBefore(svg, figure.firstChild);

  const legend = svgElement("g", { class: "legend" }, svg);
  let x = PAD;
  for (const kind of Object.keys(kinds)) {
    if (!shown.some((entry) => entry.kind === kind)) continue;
    const item = svgElement("g", { class: `kind-${kind}` }, legend);
    svgElement("circle", { cx: x + 6, cy: PAD + 8, r: 6 }, item);
    const name = svgElement("text", { x: x + 18, y: PAD + 13 }, item);
    name.textContent = kinds[kind];
    x += 18 + name.getComputedTextLength() + 24;
  }

  const edges = svgElement("g", { class: "edges" }, svg);
  const nodes = svgElement("g", { class: "nodes" }, svg);
  const link = figure.dataset.link;
  for (const side of sides) {
    const first = top + ((rows - side.entries.length) * ROW) / 2 + ROW / 2;
    side.entries.forEach((entry, index) => {
      const y = first + index * ROW;
      svgElement("path", { d: `M${side.edge} ${middle}L${side.dot} ${y}` }, edges);
      const href = link.replace("{kind}", entry.kind).replace("{slug}", entry.slug);
      const anchor = svgElement("a", { href, class: `node kind-${entry.kind}` }, nodes);
      const title = svgElement("title", {}, anchor);
      title.textContent = `${entry.label} (${kinds[entry.kind]})`;
      svgElement("circle", { cx: side.dot, cy: y, r: 6 }, anchor);
      const offset = side.anchor === "end" ? -12 : 12;
      const text = svgElement(
        "text",
        { x: side.dot + offset, y: y + 5, "text-anchor": side.anchor },
        anchor,
      );
      text.textContent = entry.label;
      fit(text, LABEL_SPACE);
    });
  }

  const centre = svgElement("g", { class: "centre" }, svg);
  const box = svgElement("rect", { x: (WIDTH - CENTRE_WIDTH) / 2, width: CENTRE_WIDTH, rx: 6 }, centre);
  const lines = wrapLines(centre, selfLabel, CENTRE_WIDTH - 16, 2);
  box.setAttribute("y", middle - (lines.length * LINE) / 2 - 8);
  box.setAttribute("height", lines.length * LINE + 16);
  lines.forEach((line, index) => {
    line.setAttribute("y", middle - (lines.length * LINE) / 2 + index * LINE + 13);
  });
}

// `words` in at most `most` centred lines of `width` pixels, the last shortened if need be.
function wrapLines(parent, words, width, most) {
  const line = () =>
    svgElement("text", { x: WIDTH / 2, y: 0, "text-anchor": "middle" }, parent);
  const lines = [line()];
  for (const word of words.split(/\s+/)) {
    const current = lines[lines.length - 1];
    const before = current.textContent;
    current.textContent = before ? `${before} ${word}` : word;
    if (before && current.getComputedTextLength() > width && lines.length < most) {
      current.textContent = before;
      lines.push(line());
      lines[lines.length - 1].textContent = word;
    }
  }
  for (const text of lines) fit(text, width);
  return lines;
}

async function drawNeighbourhood(figure) {
  const language = document.documentElement.lang || "en";
  const kinds = JSON.parse(figure.dataset.kinds);
  const response = await fetch(new URL(figure.dataset.twin, document.baseURI), {
    headers: { Accept: "application/ld+json" },
  });
  if (!response.ok) return;
  const neighbours = neighboursOf(await response.json(), figure.dataset.iri, kinds, language);
  if (neighbours.length === 0) return;
  draw(figure, figure.dataset.label, neighbours, kinds);
  figure.dataset.drawn = String(Math.min(neighbours.length, MOST));
}

for (const figure of document.querySelectorAll("figure.neighbourhood[data-twin]")) {
  drawNeighbourhood(figure).catch(() => {
    // The lists on the page remain; a diagram that cannot be drawn is simply not shown.
    figure.hidden = true;
  });
}
