// The content script's flow, from document_start. Two paths that do not wait for each other:
// - the badge: at document_start the worker is asked for the risk if this host is already a known
//   shop (for any other host it answers without a request); at DOMContentLoaded the detector reads
//   the page as it is then and, on a shop page, the badge shows "unknown" at once and asks for the
//   risk. It is drawn from the answer, and drawn again when a capture changes the judgement.
// - the capture: settle → is this a shop page? → capture (DOM now, screenshot by the worker).
// It never listens to window.postMessage: the page gets nothing from us.
(function (ns) {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const {CS_TO_BG, BG_TO_CS} = globalThis.KadunMessages;
  const MAX_FOLLOW_UPS = 10;
  let config = null;
  let followUps = 0;

  const send = (message) => chrome.runtime.sendMessage(message);
  // Asked first, before anything else on the page: the settings, and the badge's answer when this
  // host is a known shop (the worker decides; it makes no request for any other host).
  const hello = send({type: CS_TO_BG.HELLO}).catch(() => null);
  const early = send({type: CS_TO_BG.GET_RISK, if_known: true}).catch(() => null);
  const domReady = new Promise((resolve) => {
    if (document.readyState !== "loading") resolve();
    else document.addEventListener("DOMContentLoaded", () => resolve(), {once: true});
  });
  // The storage area the page is handed over in, resolved once (Chrome builds an API's binding on
  // first use; the benchmark reports that one-time cost separately).
  const bindStarted = performance.now();
  const handOverArea = chrome.storage.local;
  const bindMs = performance.now() - bindStarted;
  const ours = (node) => { const host = ns.badgeHost(); return !!host && (node === host || host.contains(node)); };

  // ---- the badge -------------------------------------------------------------------------------
  let asked = 0;          // risk requests sent, in order
  let drawn = -1;         // the request whose answer the badge shows (-1: none yet)
  let drawnJson = null;   // that answer, to draw only what changed
  let badgeAsked = false; // this page asked for its risk (a known shop's page, or a detected shop page)

  function draw(data) {
    const json = JSON.stringify(data);
    if (json === drawnJson) return;
    drawnJson = json;
    ns.showBadge(data);
  }

  /** Draw the answer of ``reply`` (a GET_RISK request) unless a newer answer is already shown. */
  async function drawAnswer(reply, seq) {
    const data = await reply.catch(() => null);
    if (!data || data.skipped) return false;
    await domReady;
    if (!(await hello) || seq < drawn) return true;
    drawn = seq;
    draw(data);
    return true;
  }

  /** Ask for this page's risk as a shop page (the worker notes its host as a shop) and draw it. */
  function askRisk() {
    badgeAsked = true;
    const seq = asked++;
    return drawAnswer(send({type: CS_TO_BG.GET_RISK}), seq);
  }

  /** A shop page's badge: "unknown" at once unless an answer is drawn already, then the answer. */
  function showShopBadge() {
    if (drawn < 0 && drawnJson === null) draw({risk: null, last: null, error: null, pending: true});
    return askRisk();
  }

  // A known shop's page: its answer is drawn as soon as the page has a DOM.
  early.then((data) => { if (data && !data.skipped) badgeAsked = true; });
  drawAnswer(early, asked++);

  // ---- the capture -----------------------------------------------------------------------------
  const IDLE_WAIT_MS = 500;   // the longest a taken capture waits for an idle moment

  /** Resolves at the page's next idle moment (at most IDLE_WAIT_MS away), or at once on pagehide. */
  function whenIdle() {
    return new Promise((resolve) => {
      let done = false;
      const go = () => {
        if (done) return;
        done = true;
        window.removeEventListener("pagehide", go);
        resolve();
      };
      window.addEventListener("pagehide", go);
      if (typeof requestIdleCallback === "function") requestIdleCallback(go, {timeout: IDLE_WAIT_MS});
      else setTimeout(go, 0);
    });
  }

  async function capture() {
    // The pause switch may have moved since this page opened (a follow-up capture can come much
    // later): ask again. (Not a storage.onChanged listener: that would carry every page handed
    // over in storage into every tab's process.)
    const state = await send({type: CS_TO_BG.STATE}).catch(() => null);
    if (state && typeof state.paused === "boolean") config.paused = state.paused;
    if (config.paused) {
      send({type: CS_TO_BG.CAPTURE_SKIPPED, reason: "paused"}).catch(() => {});
      return null;
    }
    // The snapshot: the page's bytes, address, title and time, all taken in this one task (the
    // record and its storage key are made at the hand-over).
    const started = performance.now();
    const page = ns.serialise(document, ns.badgeHost());
    const serialiseMs = performance.now() - started;
    const url = location.href;
    const title = document.title;
    const takenAt = Date.now();
    const taskMs = performance.now() - started;
    // Hand-over through extension storage (no JSON round on this thread; a port message costs
    // about twice as much for a big page; the copy is durable before the worker sees it). The
    // page's markup goes as the one flat string outerHTML made (the worker adds the doctype and
    // cuts our badge out): a joined string would be copied again here. Handing it over (its
    // conversion and copy) waits for the page's next idle moment instead of lengthening the task
    // the page is in: the bytes were taken above and a string cannot change, so the evidence is
    // the same. A page going away hands over at once.
    await whenIdle();
    const handOverStarted = performance.now();
    // The storage key only has to be unique among the pages waiting in storage (nothing but this
    // extension reads storage): the time and two random draws. (Not crypto.getRandomValues: its
    // first use in a page costs 0.1 ms for nothing here.)
    const nonce = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
    const key = `${CS_TO_BG.CAPTURE_KEY_PREFIX}${takenAt}.${nonce}`;
    const record = {html: page.html, doctype: page.doctype, badge: page.badge, url, title,
                    captured_at: new Date(takenAt).toISOString()};
    const stored = handOverArea.set({[key]: record});
    const handOverMs = performance.now() - handOverStarted;
    send({type: CS_TO_BG.CAPTURE_TIMING, serialise_ms: serialiseMs, task_ms: taskMs, handover_ms: handOverMs,
          total_ms: taskMs + handOverMs, bind_ms: bindMs, html_chars: page.html.length})
      .catch(() => {});
    try {
      await stored;
    } catch {
      return null;   // storage refused it (quota): nothing was handed over
    }
    // The worker's answer (after its screenshot and queue write) is not waited on for anything
    // shown: the badge has its own path, and a stored capture's news comes as CAPTURE_STORED.
    return send({type: CS_TO_BG.CAPTURE, key}).catch(() => null);
  }

  async function visit() {
    await ns.settled(document, {ignore: ours});
    const verdict = ns.detectShop(document, location, config.sites);
    if (!verdict.shop) {
      send({type: CS_TO_BG.CAPTURE_SKIPPED, reason: `not_shop:${verdict.reason}`}).catch(() => {});
      return false;
    }
    if (!badgeAsked) showShopBadge();   // a page that became a shop page as its scripts ran
    capture();
    return true;
  }

  function watchForResults() {
    // Order query pages fill in results after a click, without a navigation: capture again when
    // order text is added (the worker drops bytes it has already queued).
    let pending = null;
    const observer = new MutationObserver((records) => {
      const relevant = records.some((r) => !ours(r.target) && Array.prototype.some.call(r.addedNodes, (n) =>
        n.nodeType === 1 && !ours(n) && ns.ORDER_TEXT.test((n.textContent || "").slice(0, 20000))));
      if (!relevant || pending || followUps >= MAX_FOLLOW_UPS) return;
      followUps++;
      pending = ns.settled(document, {ignore: ours}).then(capture).finally(() => { pending = null; });
    });
    observer.observe(document.documentElement, {childList: true, subtree: true});
  }

  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only our own worker talks to us (it has no tab).
    if (sender.id !== chrome.runtime.id || sender.tab || !message) return false;
    if (message.type === BG_TO_CS.CAPTURE_STORED && badgeAsked) {
      askRisk();   // a capture was stored: the judgement (a seller named in the page, warnings) may be new
      return false;
    }
    if (message.type === BG_TO_CS.SCREENSHOT) {
      if (message.phase !== "begin") {
        clearTimeout(unhide);
        ns.hideBadge(false);
        return false;
      }
      ns.hideBadge(true);
      // Should "end" never come (the worker stopped), the badge comes back by itself.
      clearTimeout(unhide);
      unhide = setTimeout(() => ns.hideBadge(false), 5000);
      // Answer once the hidden badge is painted (two frames), or soon if frames do not come.
      let answered = false;
      const answer = () => { if (!answered) { answered = true; sendResponse({hidden: true}); } };
      requestAnimationFrame(() => requestAnimationFrame(answer));
      setTimeout(answer, 100);
      return true;
    }
    return false;
  });
  let unhide = null;

  (async () => {
    config = await hello;
    if (!config) return;   // the extension was reloaded under us
    ns.language = config.language;
    ns.messages = config.messages;
    await domReady;
    // DOMContentLoaded: a page of a host not known as a shop shows its badge as soon as the page
    // reads as a shop page (the capture still waits for the page to settle).
    // (A known shop's page waits for its early answer instead: it shows the judged level first.)
    if (!badgeAsked && !config.known_shop && ns.detectShop(document, location, config.sites).shop) showShopBadge();
    if (await visit()) watchForResults();
    if (globalThis.navigation) {
      // Single-page shops change the URL without a new document: a new page for the badge too.
      navigation.addEventListener("navigatesuccess", () => {
        if (badgeAsked) askRisk();
        visit();
      });
    }
  })();
})(globalThis.KadunCS);
