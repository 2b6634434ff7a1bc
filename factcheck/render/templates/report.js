// The report's interactions: select a claim to see its evidence; filter by status or source.
// Plain DOM, no library, no network. Every text shown comes from textContent, never innerHTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var claims = {};
  data.claims.forEach(function (c) { claims[c.id] = c; });
  // Status icons and labels come from the page (factcheck/render/statuses.py), never a second copy.
  var ICON = {};
  var LABEL = {};
  document.querySelectorAll(".counts [data-filter]").forEach(function (button) {
    ICON[button.getAttribute("data-filter")] = button.getAttribute("data-icon");
    LABEL[button.getAttribute("data-filter")] = button.getAttribute("data-label");
  });
  var VERDICT = {
    contradicts: "\u2260 contradicts",
    supports: "\u2713 supports",
    not_mentioned: "\u2205 does not mention this"
  };
  var STATUS_CLASSES = ["s-discrepancy", "s-unsupported", "s-agreement"];
  var state = { status: "all", source: "all", selected: null };
  var columns = {};
  document.querySelectorAll("article.source").forEach(function (el) {
    columns[el.getAttribute("data-source")] = el;
  });
  var details = document.getElementById("details");
  var detailsBody = details.querySelector(".body");

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function ids(node, attr) {
    var value = node.getAttribute(attr) || "";
    return value ? value.split(" ") : [];
  }
  function visible(claim) {
    return (state.status === "all" || claim.status === state.status) &&
      (state.source === "all" || claim.source === state.source);
  }
  function segmentsIn(sourceId, start, end) {
    var column = columns[sourceId];
    if (!column) return [];
    return all(".seg", column).filter(function (seg) {
      return +seg.getAttribute("data-s") >= start && +seg.getAttribute("data-e") <= end;
    });
  }

  // Filters: a segment shows its innermost visible claim; hidden claims lose colour, badge and focus.
  function applyFilters() {
    all(".seg[data-claims]").forEach(function (seg) {
      var shown = ids(seg, "data-claims").filter(function (id) { return visible(claims[id]); });
      seg.classList.remove.apply(seg.classList, STATUS_CLASSES.concat(["off"]));
      seg.setAttribute("data-visible", shown.join(" "));
      if (shown.length) seg.classList.add("s-" + claims[shown[0]].status);
      else seg.classList.add("off");
      var opens = ids(seg, "data-opens").filter(function (id) { return visible(claims[id]); });
      if (opens.length) {
        var first = claims[opens[0]];
        seg.setAttribute("data-badge", ICON[first.status]);
        seg.setAttribute("data-badge-status", first.status);
        seg.setAttribute("tabindex", "0");
        seg.setAttribute("aria-label", LABEL[first.status] + ": " + first.text);
      } else if (seg.hasAttribute("data-opens")) {
        seg.removeAttribute("data-badge");
        seg.setAttribute("tabindex", "-1");
        seg.removeAttribute("aria-label");
      }
    });
    var shownColumns = 0;
    Object.keys(columns).forEach(function (id) {
      var hide = state.source !== "all" && id !== state.source;
      columns[id].hidden = hide;
      if (!hide) shownColumns += 1;
    });
    document.querySelector(".columns").style.setProperty("--n", String(shownColumns));
    all(".finding").forEach(function (item) {
      item.hidden = !visible(claims[item.getAttribute("data-claim")]);
    });
    all(".count").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-filter") === state.status));
    });
    all('input[name="status"]').forEach(function (input) { input.checked = input.value === state.status; });
    if (state.selected && !visible(claims[state.selected])) clearSelection();
  }

  function clearSelection() {
    all(".seg.sel, .seg.ev").forEach(function (seg) {
      seg.classList.remove("sel", "ev", "ev-supports", "ev-contradicts", "ev-not_mentioned");
    });
    state.selected = null;
    details.hidden = true;
    document.body.classList.remove("has-details");
  }

  // Centre a node in its article's scroll box; move the window only if the node is still out of
  // sight (above the top, or under the evidence panel).
  function reveal(node) {
    if (!node || node.offsetParent === null) return;
    var box = node.closest(".text");
    if (box && box.scrollHeight > box.clientHeight) {
      var r = node.getBoundingClientRect(), b = box.getBoundingClientRect();
      box.scrollTop += r.top - b.top - (b.height - r.height) / 2;
    }
    var rect = node.getBoundingClientRect();
    var bottom = window.innerHeight - (details.hidden ? 0 : details.offsetHeight);
    if (rect.top < 0 || rect.bottom > bottom) {
      window.scrollBy(0, rect.top - Math.max(0, (bottom - rect.height) / 2));
    }
  }

  function select(id, scrollToClaim) {
    var claim = claims[id];
    if (!claim) return;
    clearSelection();
    state.selected = id;
    var own = segmentsIn(claim.source, claim.start, claim.end);
    own.forEach(function (seg) { seg.classList.add("sel"); });
    showDetails(claim);
    if (scrollToClaim) reveal(own[0]);
    claim.evidence.forEach(function (ev) {
      if (ev.start === null || ev.end === null || ev.verdict === "not_mentioned") return;
      var hit = segmentsIn(ev.source, ev.start, ev.end);
      hit.forEach(function (seg) { seg.classList.add("ev", "ev-" + ev.verdict); });
      reveal(hit[0]);
    });
  }

  function showDetails(claim) {
    detailsBody.textContent = "";
    var head = el("p", "head");
    head.appendChild(el("span", "label s-" + claim.status, ICON[claim.status] + " " + LABEL[claim.status]));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("strong", null, claim.source));
    var kind = claim.kind + (claim.speaker ? ", " + claim.speaker : "");
    head.appendChild(el("span", "kind", " \u00b7 " + kind + " \u00b7 confidence " + claim.confidence));
    detailsBody.appendChild(head);
    detailsBody.appendChild(el("p", "claim-text", claim.text));
    if (claim.quote && claim.quote.trim() !== claim.text.trim()) {
      detailsBody.appendChild(el("blockquote", null, claim.quote));
    }
    var list = el("ul", "evidence");
    claim.evidence.forEach(function (ev) {
      var item = el("li", "v-" + ev.verdict);
      item.appendChild(el("span", "verdict", VERDICT[ev.verdict]));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("strong", null, ev.source));
      if (ev.quote && ev.verdict !== "not_mentioned") {
        item.appendChild(document.createTextNode(": "));
        var quote = el("a", "quote", "\u201c" + ev.quote + "\u201d");
        quote.href = "#";
        quote.addEventListener("click", function (event) {
          event.preventDefault();
          reveal(segmentsIn(ev.source, ev.start, ev.end)[0]);
        });
        item.appendChild(quote);
      }
      if (ev.reason && ev.verdict !== "supports") item.appendChild(el("span", "reason", " \u2014 " + ev.reason));
      list.appendChild(item);
    });
    if (!claim.evidence.length) list.appendChild(el("li", null, "No other source to compare with."));
    detailsBody.appendChild(list);
    var seg = segmentsIn(claim.source, claim.start, claim.end)[0];
    var around = seg ? ids(seg, "data-visible").filter(function (x) { return x !== claim.id; }) : [];
    if (around.length) {
      var more = el("p", "around", "This text is also part of: ");
      around.forEach(function (other) {
        var button = el("button", "chip s-" + claims[other].status,
          ICON[claims[other].status] + " " + claims[other].text);
        button.type = "button";
        button.addEventListener("click", function () { select(other, true); });
        more.appendChild(button);
      });
      detailsBody.appendChild(more);
    }
    details.hidden = false;
    document.body.classList.add("has-details");
  }

  // A segment covered by several claims: the first activation picks the innermost, the next ones cycle out.
  function activate(seg) {
    var shown = ids(seg, "data-visible");
    if (!shown.length) return;
    var at = shown.indexOf(state.selected);
    select(shown[(at + 1) % shown.length], false);
  }

  document.querySelector(".columns").addEventListener("click", function (event) {
    var seg = event.target.closest(".seg[data-claims]");
    if (seg) activate(seg);
  });
  document.querySelector(".columns").addEventListener("keydown", function (event) {
    var seg = event.target.closest(".seg[data-claims]");
    if (seg && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      activate(seg);
    }
  });
  document.querySelector(".columns").addEventListener("focusin", function (event) {
    var seg = event.target.closest(".seg[data-opens]");
    var keyboard = true;
    try { keyboard = seg && seg.matches(":focus-visible"); } catch (e) { keyboard = !!seg; }
    if (!seg || !keyboard) return;
    var opens = ids(seg, "data-opens").filter(function (id) { return visible(claims[id]); });
    if (opens.length) select(opens[0], false);
  });
  all(".finding .goto").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      select(link.getAttribute("data-claim"), true);
    });
  });
  all('input[name="status"]').forEach(function (input) {
    input.addEventListener("change", function () { state.status = input.value; applyFilters(); });
  });
  all(".count").forEach(function (button) {
    button.addEventListener("click", function () {
      var status = button.getAttribute("data-filter");
      state.status = state.status === status ? "all" : status;
      applyFilters();
    });
  });
  document.querySelector('select[name="source"]').addEventListener("change", function (event) {
    state.source = event.target.value;
    applyFilters();
  });
  details.querySelector(".close").addEventListener("click", clearSelection);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") clearSelection();
  });
  applyFilters();
})();
