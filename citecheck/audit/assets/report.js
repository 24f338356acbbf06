(function () {
  "use strict";
  // Rows arrive as arrays (see html_report._island; a row's link is null when the page's fits) and are drawn a chunk at a time: building
  // 50,000 table rows up front would freeze the tab for seconds.
  var SEV = 0, RULE = 1, PAGE = 2, LINE = 3, COL = 4, MSG = 5, SUBJ = 6, SRC = 7, NEW = 8;
  var ROW_CHUNK = 200, PAGE_CHUNK = 40;

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var rows = data.rows, rules = data.rules, pages = data.pages, severities = data.severities;
  var $ = function (id) { return document.getElementById(id); };
  var tbody = $("rows"), byPage = $("by-page"), more = $("more"), count = $("count");
  var controls = { rule: $("f-rule"), sev: $("f-sev"), page: $("f-page"), text: $("f-text"), fresh: $("f-new") };

  var sortKey = "", sortDir = 1;
  var order = null;        // row indices in the chosen sort order (null: report order)
  var shown = [];          // indices passing the filters, in display order
  var groups = [];         // by-page view: [page index, [row indices]]
  var drawn = 0;
  var view = "table";
  var haystacks = null;    // lower-cased searchable text per row, built on the first search

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // A source link from a configured template could be anything; only web and file links are followed.
  function safeHref(url) {
    var scheme = /^([a-z][a-z0-9+.\-]*):/i.exec(url || "");
    return url && (!scheme || /^(https?|file)$/i.test(scheme[1])) ? url : null;
  }

  function source(row) {
    var page = pages[row[PAGE]];
    return row[SRC] !== null ? row[SRC] : page[2] + row[LINE] + page[3];
  }

  function link(text, url, cls) {
    var href = safeHref(url);
    if (!href) return el("span", cls, text);
    var a = el("a", cls, text);
    a.setAttribute("href", href);
    return a;
  }

  function sevBadge(i) {
    var name = severities[i];
    return el("span", "sev sev-" + name, name);
  }

  function newBadge() { return el("span", "badge-new", "new"); }

  function rowNode(i) {
    var row = rows[i], rule = rules[row[RULE]], page = pages[row[PAGE]];
    var tr = document.createElement("tr");
    var cell = el("td"); cell.appendChild(sevBadge(row[SEV])); tr.appendChild(cell);
    cell = el("td", "mono", rule[0]); cell.title = rule[1]; tr.appendChild(cell);
    cell = el("td", "loc"); cell.appendChild(link(page[0], source(row), "mono"));
    if (page[1]) cell.appendChild(el("div", "muted", page[1]));
    tr.appendChild(cell);
    tr.appendChild(el("td", "num", row[LINE]));
    cell = el("td", "msg", row[MSG]);
    if (row[NEW]) { cell.appendChild(document.createTextNode(" ")); cell.appendChild(newBadge()); }
    tr.appendChild(cell);
    tr.appendChild(el("td", "msg mono", row[SUBJ]));
    return tr;
  }

  function pageNode(group) {
    var page = pages[group[0]], indices = group[1];
    var details = el("details", "page");
    details.open = true;
    var summary = el("summary");
    summary.appendChild(el("span", "mono", page[0]));
    if (page[1]) summary.appendChild(el("span", "muted", " — " + page[1]));
    summary.appendChild(el("span", "counts muted", plural(indices.length, "finding")));
    details.appendChild(summary);
    var list = el("ul");
    indices.forEach(function (i) {
      var row = rows[i], li = el("li");
      li.appendChild(sevBadge(row[SEV]));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("code", null, rules[row[RULE]][0]));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link("line " + row[LINE], source(row)));
      li.appendChild(document.createTextNode(": "));
      li.appendChild(el("span", null, row[MSG]));
      if (row[NEW]) { li.appendChild(document.createTextNode(" ")); li.appendChild(newBadge()); }
      list.appendChild(li);
    });
    details.appendChild(list);
    return details;
  }

  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }

  function drawMore() {
    var fragment = document.createDocumentFragment(), end;
    if (view === "table") {
      end = Math.min(shown.length, drawn + ROW_CHUNK);
      for (var i = drawn; i < end; i++) fragment.appendChild(rowNode(shown[i]));
      tbody.appendChild(fragment);
    } else {
      end = Math.min(groups.length, drawn + PAGE_CHUNK);
      for (var g = drawn; g < end; g++) fragment.appendChild(pageNode(groups[g]));
      byPage.appendChild(fragment);
    }
    drawn = end;
    var total = view === "table" ? shown.length : groups.length;
    more.hidden = drawn >= total;
    more.textContent = "Show more (" + plural(total - drawn, view === "table" ? "finding" : "page") + " left)";
  }

  function haystack(i) {
    if (haystacks === null) haystacks = new Array(rows.length);
    var text = haystacks[i];
    if (text === undefined) {
      var row = rows[i], rule = rules[row[RULE]], page = pages[row[PAGE]];
      text = haystacks[i] = [rule[0], rule[1], page[0], page[1], row[MSG], row[SUBJ]].join("\n").toLowerCase();
    }
    return text;
  }

  function filter(indices) {
    var rule = controls.rule.value === "" ? -1 : Number(controls.rule.value);
    var sev = controls.sev.value === "" ? -1 : Number(controls.sev.value);
    var fresh = controls.fresh.checked;
    var page = controls.page.value.trim().toLowerCase();
    var text = controls.text.value.trim().toLowerCase();
    var pageHit = page ? pages.map(function (p) { return (p[0] + "\n" + p[1]).toLowerCase().indexOf(page) >= 0; }) : null;
    var result = [];
    for (var k = 0; k < indices.length; k++) {
      var i = indices[k], row = rows[i];
      if (rule >= 0 && row[RULE] !== rule) continue;
      if (sev >= 0 && row[SEV] !== sev) continue;
      if (fresh && !row[NEW]) continue;
      if (pageHit && !pageHit[row[PAGE]]) continue;
      if (text && haystack(i).indexOf(text) < 0) continue;
      result.push(i);
    }
    return result;
  }

  function everything() {
    var all = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) all[i] = i;
    return all;
  }

  function refresh() {
    shown = filter(order || everything());
    if (view === "page") {
      // Pages in path order, each page's findings by line: the report's own order.
      var inReportOrder = order ? shown.slice().sort(function (a, b) { return a - b; }) : shown;
      var at = {};
      groups = [];
      inReportOrder.forEach(function (i) {
        var p = rows[i][PAGE];
        if (at[p] === undefined) { at[p] = groups.length; groups.push([p, []]); }
        groups[at[p]][1].push(i);
      });
    }
    tbody.replaceChildren();
    byPage.replaceChildren();
    drawn = 0;
    drawMore();
    var filtered = shown.length === rows.length ? "" : " (filtered from " + rows.length.toLocaleString("en") + ")";
    count.textContent = plural(shown.length, "finding") + filtered;
  }

  var KEYS = {
    severity: function (i) { return rows[i][SEV]; },
    rule: function (i) { return rules[rows[i][RULE]][0]; },
    page: function (i) { return pages[rows[i][PAGE]][0]; },
    line: function (i) { return rows[i][LINE]; },
    message: function (i) { return rows[i][MSG]; },
    subject: function (i) { return rows[i][SUBJ]; }
  };

  function sortBy(key) {
    sortDir = key === sortKey ? -sortDir : 1;
    sortKey = key;
    var keyOf = KEYS[key], keys = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) keys[i] = keyOf(i);
    // Ties keep report order (path, line, column), in either direction.
    order = everything().sort(function (a, b) {
      var x = keys[a], y = keys[b];
      return x < y ? -sortDir : x > y ? sortDir : a - b;
    });
    document.querySelectorAll("#findings-table th[data-key]").forEach(function (th) {
      if (th.getAttribute("data-key") === key) th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    refresh();
  }

  function showView(name) {
    view = name;
    $("findings-table").hidden = name !== "table";
    byPage.hidden = name !== "page";
    document.querySelectorAll(".views button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === name));
    });
    refresh();
  }

  function debounce(fn, ms) {
    var timer = 0;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  function showFindings() { $("findings").scrollIntoView({ behavior: "smooth", block: "start" }); }

  function reset() {
    controls.rule.value = ""; controls.sev.value = ""; controls.page.value = ""; controls.text.value = "";
    controls.fresh.checked = false;
  }

  controls.rule.addEventListener("change", refresh);
  controls.sev.addEventListener("change", refresh);
  controls.fresh.addEventListener("change", refresh);
  var typed = debounce(refresh, 150);
  controls.page.addEventListener("input", typed);
  controls.text.addEventListener("input", typed);
  $("f-reset").addEventListener("click", function () { reset(); refresh(); });
  more.addEventListener("click", drawMore);
  document.querySelectorAll("#findings-table th[data-key] button").forEach(function (button) {
    button.addEventListener("click", function () { sortBy(button.parentNode.getAttribute("data-key")); });
  });
  document.querySelectorAll(".views button").forEach(function (button) {
    button.addEventListener("click", function () { showView(button.getAttribute("data-view")); });
  });
  document.querySelectorAll("button[data-rule]").forEach(function (button) {
    button.addEventListener("click", function () {
      reset();
      controls.rule.value = button.getAttribute("data-rule");
      refresh();
      showFindings();
    });
  });
  document.querySelectorAll("button[data-only-new]").forEach(function (button) {
    button.addEventListener("click", function () {
      reset();
      controls.fresh.checked = true;
      refresh();
      showFindings();
    });
  });
  document.querySelectorAll(".legend button[data-series]").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(on));
      var name = button.getAttribute("data-series");
      document.querySelectorAll("#chart g[data-series]").forEach(function (g) {
        if (g.getAttribute("data-series") === name) g.classList.toggle("off", !on);
      });
    });
  });

  // Scrolling near the end draws the next chunk; the button stays for keyboards and printing.
  // Each scroll asks where the button is now: an observer alone reports changes, and a reader who
  // reached the end while a chunk was being laid out could wait for one that never comes.
  function drawIfNear() {
    while (!more.hidden && more.getBoundingClientRect().top < window.innerHeight + 400) drawMore();
  }
  window.addEventListener("scroll", drawIfNear, { passive: true });
  window.addEventListener("resize", drawIfNear);
  // Observing the button again after a chunk reports where it is now, for changes no scroll makes.
  if ("IntersectionObserver" in window) {
    var watcher = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; }) && !more.hidden) {
        drawMore();
        watcher.unobserve(more);
        watcher.observe(more);
      }
    }, { rootMargin: "400px" });
    watcher.observe(more);
  }

  refresh();
  document.documentElement.setAttribute("data-ready", "");
})();
