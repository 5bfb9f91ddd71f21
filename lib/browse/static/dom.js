/**
 * DOM helpers of the QA browser page: `h()` builds elements, `markdown()` turns
 * Markdown into elements through `parseMarkdown`. Text only ever reaches the page
 * as text nodes and attribute values; nothing is parsed as HTML.
 * @module
 */
import { parseMarkdown } from "./markdown.js";

/**
 * Creates an element. `props`: `class`, `text`, `on<event>`, `dataset`, or attributes.
 * Children are nodes or strings (inserted as text).
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "text") element.textContent = String(value);
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Renders Markdown as DOM nodes (text only: nothing is parsed as HTML). */
export function markdown(text, extraClass = "") {
  const container = h("div", { class: `md ${extraClass}`.trim() });
  container.append(...parseMarkdown(text ?? "").map(renderBlock));
  return container;
}

function renderBlock(block) {
  switch (block.type) {
    case "heading":
      return h(
        `h${Math.min(6, block.level + 3)}`,
        { class: `md-h${block.level}` },
        renderInline(block.children),
      );
    case "paragraph":
      return h("p", {}, renderInline(block.children));
    case "code":
      return h(
        "pre",
        { dataset: block.lang ? { lang: block.lang } : undefined },
        h("code", { text: block.text }),
      );
    case "list":
      return h(
        block.ordered ? "ol" : "ul",
        { start: block.ordered && block.start !== 1 ? block.start : undefined },
        block.items.map((item) => h("li", {}, item.map(renderBlock))),
      );
    case "quote":
      return h("blockquote", {}, block.children.map(renderBlock));
    case "rule":
      return h("hr");
    case "table": {
      const cell = (tag, content, index) =>
        h(
          tag,
          { class: block.align[index] ? `align-${block.align[index]}` : undefined },
          renderInline(content),
        );
      return h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          {},
          h(
            "thead",
            {},
            h("tr", {}, block.header.map((content, index) => cell("th", content, index))),
          ),
          h(
            "tbody",
            {},
            block.rows.map((row) =>
              h("tr", {}, row.map((content, index) => cell("td", content, index)))
            ),
          ),
        ),
      );
    }
    default:
      return h("p", { text: JSON.stringify(block) });
  }
}

function renderInline(nodes) {
  return nodes.map((node) => {
    switch (node.type) {
      case "text":
        return document.createTextNode(node.text);
      case "code":
        return h("code", { text: node.text });
      case "strong":
        return h("strong", {}, renderInline(node.children));
      case "em":
        return h("em", {}, renderInline(node.children));
      case "br":
        return h("br");
      default:
        return document.createTextNode("");
    }
  });
}
