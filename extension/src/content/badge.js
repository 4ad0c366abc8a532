// The risk badge: a <kadun-badge> host whose closed shadow root holds the UI, so neither the
// page's CSS nor its scripts can reach inside. The host carries nothing the page could read (the
// level, the levels shown and the screenshot's hiding live inside the shadow root, where no page
// script or MutationObserver of the page sees them): the page learns only that a badge is there.
// Against a page that hides or covers it: the shadow root's own !important rules beat the page's
// (an inner context's important declarations win over the outer one's), the host sits in the top
// layer (a manual popover: above every z-index), and a host the page removes is put back (a bounded
// number of times). The host's box has one size whatever the level (the page could otherwise tell a
// level by its width). What the page draws itself (a fake badge) it can; the toolbar button, which the
// worker marks with the tab's level, is out of its reach.
(function (ns) {
  const LEVEL_ORDER = {unknown: 0, low: 1, medium: 2, high: 3};
  const COLOURS = {low: "#1a7f37", medium: "#8a5a00", high: "#c62828", unknown: "#6b7280"};
  // The worker sends the chosen language's messages with its HELLO answer (ns.language, ns.messages).
  const zh = () => (ns.language ? ns.language === "zh_CN" : (chrome.i18n.getUILanguage() || "").toLowerCase().startsWith("zh"));
  const t = (key, subs) => {
    const entry = ns.messages && ns.messages[key];
    if (!entry) return chrome.i18n.getMessage(key, subs) || key;
    const list = subs == null ? [] : [].concat(subs);
    return entry.message.replace(/\$(\d)/g, (_, n) => String(list[Number(n) - 1] ?? ""));
  };
  const pick = (text) => (text && typeof text === "object" ? (zh() ? text.zh : text.en) || text.zh || text.en : text || "");

  /** The level the badge shows: the worse of the platform's and the seller's known levels. */
  ns.badgeLevel = function badgeLevel(risk) {
    if (!risk) return "unknown";
    let level = "unknown";
    for (const subject of [risk.platform, risk.seller]) {
      const value = subject && subject.level;
      if (value in LEVEL_ORDER && LEVEL_ORDER[value] > LEVEL_ORDER[level]) level = value;
    }
    return level;
  };

  const STYLE = `
    :host { all: initial; position: fixed !important; right: 16px; bottom: 16px; z-index: 2147483647;
            font: 13px/1.45 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; color: #111; }
    :host, :host(:popover-open) { display: block !important; visibility: visible !important; opacity: 1 !important;
            position: fixed !important; inset: auto 16px 16px auto !important; margin: 0 !important; padding: 0 !important;
            border: 0 !important; background: transparent !important; overflow: visible !important;
            width: 200px !important; height: 34px !important; max-width: none !important; max-height: none !important;
            min-width: 0 !important; min-height: 0 !important; box-sizing: border-box !important;
            transform: none !important; filter: none !important; clip-path: none !important; mask: none !important;
            mix-blend-mode: normal !important; pointer-events: auto !important; z-index: 2147483647 !important;
            content-visibility: visible !important; zoom: 1 !important; }
    .wrap { position: relative; width: 100%; height: 100%; }
    button.pill:focus-visible { outline: 3px solid #1f6feb !important; outline-offset: 2px; }
    .legend { margin: 0 0 4px; }
    button.pill { all: unset; cursor: pointer; display: flex; gap: 6px; align-items: center; padding: 6px 12px;
                  width: 100%; height: 100%; box-sizing: border-box; justify-content: center; white-space: nowrap; overflow: hidden;
                  border-radius: 999px; color: #fff; box-shadow: 0 2px 8px rgba(0,0,0,.25); font-weight: 600; }
    .panel { display: none; position: absolute; right: 0; bottom: 40px; width: 340px; max-width: calc(100vw - 32px);
             max-height: 60vh; overflow: auto; overflow-wrap: anywhere; box-sizing: border-box;
             background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px;
             box-shadow: 0 6px 24px rgba(0,0,0,.2); }
    .open .panel { display: block; }
    h3 { font-size: 13px; margin: 8px 0 4px; }
    ul { margin: 0; padding-left: 18px; }
    li { margin: 3px 0; }
    q { color: #444; background: #fff7d6; unicode-bidi: isolate; }  /* a quote's direction controls stay inside it */
    .deadline { color: #c62828; font-weight: 600; }
    .muted { color: #6b7280; }`;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
    return node;
  }

  function signalItems(subject) {
    const items = [];
    for (const signal of (subject && subject.signals) || []) {
      if (signal.effect === "neutral" && !(signal.evidence || []).length) continue;
      const quote = ((signal.evidence || [])[0] || {}).quote;
      // The reason in the words of its direction ("未见 ICP 备案号" / "有 ICP 备案号"), else its plain name.
      const keys = [`signal_${signal.code}_${signal.effect}`, `signal_${signal.code}`];
      const name = keys.map((key) => [key, t(key)]).find(([key, text]) => text && text !== key)?.[1] || signal.code;
      // The mark's meaning in words for a screen reader (it would read "black up-pointing triangle").
      const effect = signal.effect === "raises" ? ["▲", "badgeRaises"] : signal.effect === "lowers" ? ["▼", "badgeLowers"] : ["·", null];
      const mark = effect[1] ? el("span", {role: "img", "aria-label": t(effect[1]), title: t(effect[1])}, effect[0]) : effect[0];
      items.push(el("li", {}, mark, ` ${name}`, quote ? " " : "", quote ? el("q", {}, quote) : ""));
    }
    return items;
  }

  function warningItems(warnings) {
    return (warnings || []).map((w) => el("li", {},
      pick(w.message) || w.code,
      ((w.evidence || [])[0] || {}).quote ? el("q", {}, " " + w.evidence[0].quote) : "",
      w.deadline ? el("div", {class: "deadline"}, t("badgeDeadline", [new Date(w.deadline).toLocaleString(zh() ? "zh-CN" : "en")])) : ""));
  }

  /** The order's windows (GET /v1/risk's order, from the same judgement as the dispute plan). */
  function orderWindows(order) {
    const dated = ((order && order.windows) || []).filter((w) => w.deadline);
    return dated.map((w) => el("li", {},
      `${pick(w.name)} · ${pick((w.basis || {}).rule)}`,
      el("div", {class: "deadline"}, `${w.overdue ? t("badgeOverdue") + " · " : ""}${t("badgeWindowCloses", [new Date(w.deadline).toLocaleString(zh() ? "zh-CN" : "en")])}`),
      el("div", {class: "muted"}, pick(w.action))));
  }

  const HIDE_FOR_SHOT = ":host, :host(:popover-open) { visibility: hidden !important; }";
  let hiddenForShot = false;
  const levelsShown = [];   // every level this page's badge showed, in order (inside the shadow root)

  function render(shadow, level, data) {
    shadow.replaceChildren();
    shadow.append(el("style", {}, STYLE));
    if (hiddenForShot) shadow.append(el("style", {class: "shot"}, HIDE_FOR_SHOT));
    if (levelsShown[levelsShown.length - 1] !== level) levelsShown.push(level);
    const wrap = el("div", {class: "wrap", "data-level": level, "data-levels": levelsShown.join(" ")});
    const pill = el("button", {class: "pill", style: `background:${COLOURS[level] || COLOURS.unknown}`,
                               "aria-expanded": "false"}, `${t("extShortName")} · ${t(`level_${level}`)}`);
    const panel = el("div", {class: "panel", role: "dialog", id: "kadun-panel", "aria-label": t("badgePanel")});
    pill.setAttribute("aria-controls", "kadun-panel");
    const risk = data.risk || {};
    let legend = false;
    for (const [key, subject] of [["badgePlatform", risk.platform], ["badgeSeller", risk.seller]]) {
      if (!subject) continue;
      // The score with its scale, in words ("(37)" alone told a buyer nothing).
      const score = subject.score == null ? "" : t("badgeScore", [String(subject.score)]);
      const name = subject.name || subject.domain || "";
      // The shop's own name in a <bdi>: right-to-left text or direction controls in it ("\u202e")
      // cannot reorder the level words after it.
      const [before, after] = t("badgeSubjectLevel", ["\u0000", `${t(`level_${subject.level}`)}${score}`]).split("\u0000");
      panel.append(el("h3", {}, before, t(key), name ? " " : "", name ? el("bdi", {}, name) : "", after || ""));
      const reasons = signalItems(subject);
      if (reasons.length && !legend) {
        legend = true;
        panel.append(el("div", {class: "muted legend"}, t("badgeLegend")));
      }
      panel.append(reasons.length ? el("ul", {}, ...reasons) : el("div", {class: "muted"}, t("badgeNoReasons")));
    }
    const windows = orderWindows(risk.order);
    if (windows.length) panel.append(el("h3", {}, t("badgeOrderWindows")), el("ul", {class: "windows"}, ...windows));
    if (data.pending) panel.append(el("div", {class: "muted"}, t("badgeChecking")));
    else if (!data.risk) panel.append(el("div", {class: "muted"}, t(data.error === "not_paired" ? "badgeNotPaired" : "badgeOffline")));
    const last = data.last;
    panel.append(el("h3", {}, t("badgeLastCapture")));
    if (last && (last.warnings || []).length) {
      panel.append(el("div", {class: "muted"}, new Date(last.at).toLocaleString(zh() ? "zh-CN" : "en")), el("ul", {}, ...warningItems(last.warnings)));
    } else {
      panel.append(el("div", {class: "muted"}, t("badgeNoWarnings")));
    }
    const toggle = (open) => {
      wrap.classList.toggle("open", open);
      pill.setAttribute("aria-expanded", String(open));
    };
    pill.addEventListener("click", () => toggle(!wrap.classList.contains("open")));
    // Escape closes the panel and gives the keyboard back to the pill.
    wrap.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && wrap.classList.contains("open")) {
        toggle(false);
        pill.focus();
      }
    });
    wrap.append(panel, pill);
    shadow.append(wrap);
  }

  let host = null;
  let shadow = null;
  let putBack = 0;          // times the badge was put back after the page removed it
  const MAX_PUT_BACK = 20;

  /** The host in the top layer (a manual popover), where no z-index of the page covers it. */
  function raise() {
    try {
      if (host.isConnected && typeof host.showPopover === "function" && !host.matches(":popover-open")) host.showPopover();
    } catch {
      // (a browser without popovers, or the page moved the host into an inert place: it stays fixed)
    }
  }

  function attach() {
    if (!host.isConnected) document.documentElement.append(host);
    raise();
  }

  /** Show (or refresh) the badge with GET /v1/risk's answer and the last capture's warnings
   *  ({pending: true}: a shop page whose risk is still being asked for, shown as unknown). */
  ns.showBadge = function showBadge(data) {
    const level = ns.badgeLevel(data.risk);
    if (!host) {
      host = document.createElement("kadun-badge");
      shadow = host.attachShadow({mode: "closed"});
      host.popover = "manual";
      // A page script removing the host (or its root's children) gets it back, a bounded number of times.
      // (The host's own parent and the document are watched, not the page's every change.)
      const watch = new MutationObserver(() => {
        if (!host.isConnected && putBack < MAX_PUT_BACK) {
          putBack++;
          attach();
        }
      });
      watch.observe(document, {childList: true});
      watch.observe(document.documentElement, {childList: true});
    }
    render(shadow, level, data);
    attach();
    return host;
  };

  ns.badgeHost = () => host;

  /** Keep the badge out of sight (while the worker photographs the tab) or bring it back: a rule
   *  inside the shadow root, so the page sees no change of the host (it must not learn when it is
   *  being photographed: it could show the camera another page than the buyer's). */
  ns.hideBadge = function hideBadge(hidden) {
    hiddenForShot = !!hidden;
    if (!shadow) return;
    const rule = shadow.querySelector("style.shot");
    if (hidden && !rule) shadow.append(el("style", {class: "shot"}, HIDE_FOR_SHOT));
    else if (!hidden && rule) rule.remove();
  };
})(globalThis.KadunCS = globalThis.KadunCS || {});
