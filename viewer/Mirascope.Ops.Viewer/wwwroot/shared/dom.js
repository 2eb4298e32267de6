// Small DOM helpers every view uses: find by id, build elements with text (never HTML), cut text, the error banner.

export const $ = (id) => document.getElementById(id);

export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "style") Object.assign(node.style, value);   // CSSOM: allowed by the page's CSP, a style attribute is not
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A value's text, cut to at most max characters (never inside a surrogate pair), with "…" when cut.
export function cutText(text, max) {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return text.slice(0, end) + "…";
}

// Builds one part of the page; a value that breaks it costs only that part, never the other spans or sections.
export function safely(what, build) {
  try {
    return build();
  } catch (error) {
    return el("p", { class: "render-error", text: `${what} could not be shown: ${error && error.message ? error.message : String(error)}` });
  }
}

export function showError(message) {
  const banner = $("error");
  banner.textContent = message;
  banner.hidden = !message;
}
