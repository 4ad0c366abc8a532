// Wait until the page has settled: loaded, then no DOM changes for a quiet period (order query
// pages fill in by JavaScript), bounded so a ticking clock cannot hold the capture forever.
(function (ns) {
  ns.QUIET_MS = 400;
  ns.MAX_WAIT_MS = 4000;

  function loaded(doc) {
    if (doc.readyState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { clearTimeout(guard); resolve(); };
      const guard = setTimeout(done, ns.MAX_WAIT_MS * 2);
      window.addEventListener("load", done, {once: true});
    });
  }

  /** Resolves once the page is loaded and its DOM has been quiet for QUIET_MS (at most MAX_WAIT_MS). */
  ns.settled = async function settled(doc, {quietMs = ns.QUIET_MS, maxWaitMs = ns.MAX_WAIT_MS, ignore} = {}) {
    await loaded(doc);
    return new Promise((resolve) => {
      let quiet = null;
      const finish = () => {
        observer.disconnect();
        clearTimeout(quiet);
        clearTimeout(limit);
        resolve();
      };
      const observer = new MutationObserver((records) => {
        if (ignore && records.every((r) => ignore(r.target))) return;
        clearTimeout(quiet);
        quiet = setTimeout(finish, quietMs);
      });
      observer.observe(doc.documentElement, {childList: true, subtree: true, characterData: true, attributes: true});
      quiet = setTimeout(finish, quietMs);
      const limit = setTimeout(finish, maxWaitMs);
    });
  };
})(globalThis.KadunCS = globalThis.KadunCS || {});
