// Serialise the page as the buyer sees it, minus what must not leave it: password values and our
// own badge. The common case is one outerHTML call (the badge is cut out by the worker); the slow
// path (a password input carrying a value attribute) works on a detached copy so the page itself
// is never touched.
(function (ns) {
  const PASSWORD_WITH_VALUE = "input[type=password i][value]";

  function doctypeOf(doc) {
    const dt = doc.doctype;
    if (!dt) return "";
    const pub = dt.publicId ? ` PUBLIC "${dt.publicId}"` : "";
    const sys = dt.systemId ? `${dt.publicId ? "" : " SYSTEM"} "${dt.systemId}"` : "";
    return `<!DOCTYPE ${dt.name}${pub}${sys}>`;
  }

  /** The page as the buyer sees it, in the parts taken on the page's thread:
   *  {html: the root's markup as one flat string, doctype: the doctype's markup, badge: our badge's
   *  own markup when `html` contains it, else null}. The worker joins them and cuts the badge's
   *  last occurrence out (`joinPage` in the worker), off the page's thread: a flat string is the
   *  cheapest thing to hand to the extension, and a joined or cut one would be copied once more. */
  ns.serialise = function serialise(doc, badgeHost) {
    const root = doc.documentElement;
    const doctype = doctypeOf(doc);
    if (root.querySelector(PASSWORD_WITH_VALUE)) {
      const copy = root.cloneNode(true);
      for (const input of copy.querySelectorAll(PASSWORD_WITH_VALUE)) input.setAttribute("value", "");
      for (const badge of copy.querySelectorAll("kadun-badge")) badge.remove();
      return {html: copy.outerHTML, doctype, badge: null};
    }
    // The badge's host serialises as an empty element (its shadow root is not serialised).
    const badge = badgeHost && badgeHost.isConnected && root.contains(badgeHost) ? badgeHost.outerHTML : null;
    return {html: root.outerHTML, doctype, badge};
  };
})(globalThis.KadunCS = globalThis.KadunCS || {});
