// The printable minutes the API renders (HTML), shown inside a page: parsed without running
// anything (DOMParser), and rebuilt from a short list of text elements with no attributes — no
// script, style, link or handler of the document reaches the page. Headings move down under
// the section's own (the minutes' h1 is the page's h3), so the page keeps one outline.
import { createElement, type ReactNode } from 'react';

const KEPT = new Set(['p', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'em', 'strong', 'section', 'br']);
const HEADINGS: Record<string, string> = { h1: 'h3', h2: 'h4', h3: 'h5', h4: 'h6', h5: 'h6', h6: 'h6' };

function rebuild(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  const children = Array.from(el.childNodes).map((c, i) => rebuild(c, i));
  if (HEADINGS[tag]) return createElement(HEADINGS[tag], { key, className: tag === 'h1' ? 'h5' : 'h6' }, ...children);
  if (KEPT.has(tag)) return createElement(tag, { key }, ...(tag === 'br' ? [] : children));
  // Anything else (div, span, a…) keeps its text only; script, style and the like not even that.
  if (['script', 'style', 'template', 'noscript', 'iframe', 'object', 'title', 'head'].includes(tag)) return null;
  return children;
}

/** The body of the minutes' HTML as React elements. */
export function minutesContent(html: string): ReactNode {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return Array.from(doc.body.childNodes).map((c, i) => rebuild(c, i));
}

export function MinutesView({ html, label }: { html: string; label: string }) {
  return (
    <article className="border rounded p-3 app-minutes" aria-label={label} data-testid="minutes-text">
      {minutesContent(html)}
    </article>
  );
}
