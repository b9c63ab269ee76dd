/* Search as you type in long pickers (a team of 100 people, a reporting line).
 *
 * Each <select data-picker="search"> gets a search box above it; typing hides
 * the options that do not contain every typed word (name, unit, body or key),
 * and picks the first one still shown, so Enter or Tab keeps it. Without
 * JavaScript the select works as it always did. No inline script (CSP).
 */
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function enhance(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-search";
    box.autocomplete = "off";
    // the words come from the page, in the reader's language (base.html)
    var page = document.body.dataset;
    box.placeholder = page.pickerPlaceholder || "Type a name, unit or key";
    box.setAttribute("aria-label", page.pickerLabel || "Type to narrow the choices below");
    box.setAttribute("aria-controls", select.id || "");
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select);

    box.addEventListener("input", function () {
      var wanted = words(box.value);
      var shown = 0;
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return; // the empty choice stays
        var text = option.textContent.toLowerCase();
        var match = wanted.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !match;
        option.disabled = !match && !option.selected;
        if (match) {
          shown += 1;
          if (!first) first = option;
        }
      });
      var current = select.selectedOptions[0];
      if (wanted.length && first && (!select.value || (current && current.hidden))) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      status.textContent = shown + " " + (document.body.dataset.pickerFound || "found");
    });
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll('select[data-picker="search"]').forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
})();
