// Serialise the page as the buyer sees it, minus what must not leave it: password values and our
// own badge. The page's main thread pays for one outerHTML and nothing else in the common case:
// no DOM copy, no string concatenation (the worker prepends the doctype and cuts our badge out at
// the offset found here). Password values are blanked here, by string work on that one string,
// only when an input carries one (a querySelector over the live DOM, a few microseconds, decides).
(function (ns) {
  const PASSWORD_WITH_VALUE = "input[type=password i][value]";
  // A serialised start tag quotes every attribute value with " and escapes " inside it, so the
  // first ` value="…"` in an input's tag is its value attribute, whole.
  const VALUE_ATTRIBUTE = / value="[^"]*"/;

  function doctypeOf(doc) {
    const dt = doc.doctype;
    if (!dt) return "";
    const pub = dt.publicId ? ` PUBLIC "${dt.publicId}"` : "";
    const sys = dt.systemId ? `${dt.publicId ? "" : " SYSTEM"} "${dt.systemId}"` : "";
    return `<!DOCTYPE ${dt.name}${pub}${sys}>`;
  }

  /** `html` with each password input's value attribute blanked, or null if a tag cannot be found. */
  function blankPasswords(html, inputs) {
    for (const input of inputs) {
      // An input is a void element: its outerHTML is its start tag, exactly as it appears in the
      // document's serialisation. Every occurrence is blanked (one inside a script's text too).
      const tag = input.outerHTML;
      const blank = tag.replace(VALUE_ATTRIBUTE, ' value=""');
      if (blank === tag) continue;
      if (!html.includes(tag)) return null;
      html = html.split(tag).join(blank);
    }
    return html;
  }

  /** The safe slow path: a detached copy with the values blanked (never the page itself). */
  function copyWithoutSecrets(root) {
    const copy = root.cloneNode(true);
    for (const input of copy.querySelectorAll(PASSWORD_WITH_VALUE)) input.setAttribute("value", "");
    for (const badge of copy.querySelectorAll("kadun-badge")) badge.remove();
    return copy.outerHTML;
  }

  /**
   * The page as {doctype, badge_at, badge_length, html}: `html` is documentElement's outerHTML
   * without password values; our badge's host is still in it, at `badge_at` (-1: not there) for
   * `badge_length` characters, for the worker to cut out (its assemblePage joins the parts).
   */
  ns.serialise = function serialise(doc, badgeHost) {
    const root = doc.documentElement;
    let html = root.outerHTML;
    if (root.querySelector(PASSWORD_WITH_VALUE)) {
      html = blankPasswords(html, root.querySelectorAll(PASSWORD_WITH_VALUE)) ?? copyWithoutSecrets(root);
    }
    let badgeAt = -1;
    let badgeLength = 0;
    if (badgeHost && badgeHost.isConnected) {
      // The badge's host serialises as an empty element (its shadow root is not serialised) and
      // sits at the end of <html>, so lastIndexOf finds it at once.
      const own = badgeHost.outerHTML;
      badgeAt = html.lastIndexOf(own);
      if (badgeAt >= 0) badgeLength = own.length;
    }
    return {doctype: doctypeOf(doc), badge_at: badgeAt, badge_length: badgeLength, html};
  };
})(globalThis.KadunCS = globalThis.KadunCS || {});
