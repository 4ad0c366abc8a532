// Serialise the page as the buyer sees it, minus what must not leave it: password values and our
// own badge. The common case is one outerHTML call; the slow path (a password input carrying a
// value attribute) works on a detached copy so the page itself is never touched.
(function (ns) {
  const PASSWORD_WITH_VALUE = "input[type=password i][value]";

  function doctypeOf(doc) {
    const dt = doc.doctype;
    if (!dt) return "";
    const pub = dt.publicId ? ` PUBLIC "${dt.publicId}"` : "";
    const sys = dt.systemId ? `${dt.publicId ? "" : " SYSTEM"} "${dt.systemId}"` : "";
    return `<!DOCTYPE ${dt.name}${pub}${sys}>`;
  }

  /** The page's HTML as a string (doctype + documentElement), without secrets or our badge. */
  ns.serialise = function serialise(doc, badgeHost) {
    const root = doc.documentElement;
    let html;
    if (root.querySelector(PASSWORD_WITH_VALUE)) {
      const copy = root.cloneNode(true);
      for (const input of copy.querySelectorAll(PASSWORD_WITH_VALUE)) input.setAttribute("value", "");
      for (const badge of copy.querySelectorAll("kadun-badge")) badge.remove();
      html = copy.outerHTML;
    } else {
      html = root.outerHTML;
      if (badgeHost && badgeHost.isConnected) {
        // The badge's host serialises as an empty element (its shadow root is not serialised).
        const own = badgeHost.outerHTML;
        const at = html.lastIndexOf(own);
        if (at >= 0) html = html.slice(0, at) + html.slice(at + own.length);
      }
    }
    return doctypeOf(doc) + html;
  };
})(globalThis.KadunCS = globalThis.KadunCS || {});
