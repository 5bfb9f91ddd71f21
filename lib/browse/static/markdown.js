// @ts-check
/**
 * A small Markdown parser for the QA browser page. It turns model output into a
 * tree of plain objects whose leaves are strings; the page builds DOM nodes from
 * the tree with `createElement` and `textContent` only, so no text is ever parsed
 * as HTML: `<script>` or `<img onerror=…>` in an answer stays visible text.
 *
 * Supported: ATX headings, paragraphs (single newlines kept as line breaks),
 * fenced code blocks, indented code, bullet and numbered lists (nested by
 * indentation), block quotes, horizontal rules, pipe tables, and inline code,
 * bold and italic. Links and raw HTML are left as text.
 *
 * This file runs unchanged in the browser and in Deno (the tests import it).
 * @module
 */

/**
 * @typedef {{ type: "text", text: string }
 *   | { type: "code", text: string }
 *   | { type: "strong", children: Inline[] }
 *   | { type: "em", children: Inline[] }
 *   | { type: "br" }} Inline
 */

/**
 * @typedef {{ type: "heading", level: number, children: Inline[] }
 *   | { type: "paragraph", children: Inline[] }
 *   | { type: "code", lang: string, text: string }
 *   | { type: "list", ordered: boolean, start: number, items: Block[][] }
 *   | { type: "quote", children: Block[] }
 *   | { type: "rule" }
 *   | { type: "table", align: ("left" | "right" | "center" | "")[], header: Inline[][], rows: Inline[][][] }} Block
 */

/** Nesting deeper than this (lists in quotes in lists…) is shown as plain text. */
const MAX_DEPTH = 16;
/** Paragraphs longer than this skip inline parsing (kept as text). */
const MAX_INLINE = 20000;

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])([ \t]+(.*))?$/;
const TABLE_DIVIDER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/**
 * Parses Markdown text into blocks.
 *
 * @example
 * ```js
 * import assert from "node:assert/strict";
 * import { parseMarkdown } from "./markdown.js";
 * const blocks = parseMarkdown("# Title\n\nSome **bold** <b>text</b>");
 * assert.equal(blocks[0].type, "heading");
 * assert.deepEqual(blocks[1], {
 *   type: "paragraph",
 *   children: [
 *     { type: "text", text: "Some " },
 *     { type: "strong", children: [{ type: "text", text: "bold" }] },
 *     { type: "text", text: " <b>text</b>" }, // raw HTML stays text
 *   ],
 * });
 * ```
 *
 * @param {string} text
 * @returns {Block[]}
 */
export function parseMarkdown(text) {
  const lines = String(text).replace(/\r\n?/g, "\n").replace(/\t/g, "    ").split("\n");
  return parseBlocks(lines, 0);
}

/**
 * @param {string[]} lines
 * @param {number} depth
 * @returns {Block[]}
 */
function parseBlocks(lines, depth) {
  if (depth > MAX_DEPTH) {
    return [{ type: "paragraph", children: [{ type: "text", text: lines.join("\n") }] }];
  }
  /** @type {Block[]} */
  const blocks = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    if (isBlank(line)) {
      index++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence !== null) {
      const marker = fence[1] ?? "```";
      const body = [];
      index++;
      while (index < lines.length) {
        const current = lines[index] ?? "";
        const trimmed = current.trim();
        if (trimmed.startsWith(marker) && /^(`+|~+)$/.test(trimmed) && trimmed[0] === marker[0]) {
          index++;
          break;
        }
        body.push(current);
        index++;
      }
      blocks.push({ type: "code", lang: fence[2] ?? "", text: body.join("\n") });
      continue;
    }
    if (indent(line) >= 4 && !isBlank(line)) {
      const body = [];
      while (index < lines.length) {
        const current = lines[index] ?? "";
        if (!isBlank(current) && indent(current) < 4) break;
        body.push(current.slice(4));
        index++;
      }
      while (body.length > 0 && isBlank(body[body.length - 1] ?? "")) body.pop();
      blocks.push({ type: "code", lang: "", text: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading !== null) {
      blocks.push({
        type: "heading",
        level: (heading[1] ?? "#").length,
        children: parseInline(heading[2] ?? ""),
      });
      index++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: "rule" });
      index++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body = [];
      while (index < lines.length) {
        const match = QUOTE.exec(lines[index] ?? "");
        if (match === null) break;
        body.push(match[1] ?? "");
        index++;
      }
      blocks.push({ type: "quote", children: parseBlocks(body, depth + 1) });
      continue;
    }
    if (line.includes("|") && TABLE_DIVIDER.test(lines[index + 1] ?? "")) {
      const header = splitRow(line);
      const align = splitRow(lines[index + 1] ?? "").map(alignment);
      index += 2;
      /** @type {Inline[][][]} */
      const rows = [];
      while (index < lines.length) {
        const current = lines[index] ?? "";
        if (isBlank(current) || !current.includes("|")) break;
        rows.push(splitRow(current).map(parseInline));
        index++;
      }
      blocks.push({ type: "table", align, header: header.map(parseInline), rows });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item !== null && (item[4] !== undefined || isListMarkerAlone(lines, index))) {
      index = parseList(lines, index, depth, blocks);
      continue;
    }
    const body = [line.trim()];
    index++;
    while (index < lines.length) {
      const current = lines[index] ?? "";
      if (isBlank(current) || startsBlock(current)) break;
      body.push(current.trim());
      index++;
    }
    blocks.push({ type: "paragraph", children: parseInline(body.join("\n")) });
  }
  return blocks;
}

/**
 * Parses the list starting at `start`; appends it to `blocks`; returns the next line index.
 * @param {string[]} lines
 * @param {number} start
 * @param {number} depth
 * @param {Block[]} blocks
 * @returns {number}
 */
function parseList(lines, start, depth, blocks) {
  const first = LIST_ITEM.exec(lines[start] ?? "");
  if (first === null) return start + 1;
  const base = (first[1] ?? "").length;
  const ordered = /\d/.test(first[2] ?? "");
  const startNumber = ordered ? parseInt(first[2] ?? "1", 10) : 1;
  /** @type {Block[][]} */
  const items = [];
  let index = start;
  while (index < lines.length) {
    const match = LIST_ITEM.exec(lines[index] ?? "");
    if (match === null) break;
    const markerIndent = (match[1] ?? "").length;
    if (markerIndent > base + 1 || /\d/.test(match[2] ?? "") !== ordered) break;
    const contentIndent = markerIndent + (match[2] ?? "").length + 1;
    const body = [match[4] ?? ""];
    index++;
    while (index < lines.length) {
      const current = lines[index] ?? "";
      if (isBlank(current)) {
        const next = nextNonBlank(lines, index);
        if (next === -1 || indent(lines[next] ?? "") <= base) break;
        body.push("");
        index++;
        continue;
      }
      const width = indent(current);
      if (width > base) {
        body.push(current.slice(Math.min(width, contentIndent)));
        index++;
        continue;
      }
      if (LIST_ITEM.test(current) || startsBlock(current) || isBlank(body[body.length - 1] ?? "")) {
        break;
      }
      body.push(current.trim());
      index++;
    }
    items.push(parseBlocks(body, depth + 1));
    const next = nextNonBlank(lines, index);
    if (next === -1) {
      index = lines.length;
      break;
    }
    const following = LIST_ITEM.exec(lines[next] ?? "");
    if (following === null || (following[1] ?? "").length > base + 1) break;
    if (/\d/.test(following[2] ?? "") !== ordered) break;
    index = next;
  }
  blocks.push({ type: "list", ordered, start: startNumber, items });
  return index;
}

/**
 * Parses inline Markdown: code spans, `**bold**`/`__bold__`, `*italic*`/`_italic_`,
 * backslash escapes and line breaks. Everything else is text.
 *
 * @param {string} text
 * @param {number} [depth]
 * @returns {Inline[]}
 */
function parseInline(text, depth = 0) {
  if (text.length > MAX_INLINE || depth > MAX_DEPTH) return [{ type: "text", text }];
  /** @type {Inline[]} */
  const out = [];
  let buffer = "";
  const flush = () => {
    if (buffer !== "") out.push({ type: "text", text: buffer });
    buffer = "";
  };
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? "";
    if (char === "\\" && index + 1 < text.length && /[!-/:-@[-`{-~]/.test(text[index + 1] ?? "")) {
      buffer += text[index + 1];
      index += 2;
      continue;
    }
    if (char === "\n") {
      flush();
      out.push({ type: "br" });
      index++;
      continue;
    }
    if (char === "`") {
      let run = 1;
      while (text[index + run] === "`") run++;
      const fence = "`".repeat(run);
      const close = text.indexOf(fence, index + run);
      if (close !== -1) {
        flush();
        out.push({ type: "code", text: text.slice(index + run, close).replace(/\n/g, " ") });
        index = close + run;
        continue;
      }
      buffer += fence;
      index += run;
      continue;
    }
    if (char === "*" || char === "_") {
      const double = text[index + 1] === char;
      const marker = double ? char + char : char;
      const end = findClosing(text, index, marker);
      if (end !== -1) {
        flush();
        const inner = parseInline(text.slice(index + marker.length, end), depth + 1);
        out.push(double ? { type: "strong", children: inner } : { type: "em", children: inner });
        index = end + marker.length;
        continue;
      }
      buffer += marker;
      index += marker.length;
      continue;
    }
    buffer += char;
    index++;
  }
  flush();
  return out;
}

/**
 * Where the emphasis opened at `start` with `marker` closes, or -1. The opener
 * must be followed by a non-space, the closer preceded by one; `_` only counts
 * at word boundaries, so snake_case stays as it is.
 * @param {string} text
 * @param {number} start
 * @param {string} marker
 * @returns {number}
 */
function findClosing(text, start, marker) {
  const after = text[start + marker.length] ?? "";
  if (after === "" || /\s/.test(after)) return -1;
  const underscore = marker[0] === "_";
  if (underscore && /[\p{L}\p{N}]/u.test(text[start - 1] ?? "")) return -1;
  let from = start + marker.length + 1;
  while (from <= text.length) {
    const close = text.indexOf(marker, from);
    if (close === -1) return -1;
    const before = text[close - 1] ?? "";
    const next = text[close + marker.length] ?? "";
    const doubled = marker.length === 1 && next === marker;
    const boundary = !underscore || !/[\p{L}\p{N}]/u.test(next);
    if (!/\s/.test(before) && !doubled && boundary) return close;
    from = close + (doubled ? 2 : 1);
  }
  return -1;
}

/**
 * @param {string} line
 * @returns {string[]}
 */
function splitRow(line) {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

/**
 * @param {string} cell
 * @returns {"left" | "right" | "center" | ""}
 */
function alignment(cell) {
  const left = cell.startsWith(":");
  const right = cell.endsWith(":");
  return left && right ? "center" : right ? "right" : left ? "left" : "";
}

/** @param {string} line */
function startsBlock(line) {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) ||
    /^( *)([-*+]|\d{1,9}[.)])[ \t]+\S/.test(line);
}

/**
 * A marker with nothing after it starts a list only when the next line is indented under it.
 * @param {string[]} lines
 * @param {number} index
 */
function isListMarkerAlone(lines, index) {
  const next = lines[index + 1];
  return next !== undefined && !isBlank(next) && indent(next) > indent(lines[index] ?? "");
}

/**
 * @param {string[]} lines
 * @param {number} from
 */
function nextNonBlank(lines, from) {
  for (let index = from; index < lines.length; index++) {
    if (!isBlank(lines[index] ?? "")) return index;
  }
  return -1;
}

/** @param {string} line */
function indent(line) {
  return line.length - line.trimStart().length;
}

/** @param {string} line */
function isBlank(line) {
  return line.trim() === "";
}
