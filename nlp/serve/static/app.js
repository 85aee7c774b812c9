// sanctions-nlp pages: small progressive enhancements. Served from /static
// (the Content-Security-Policy allows no inline script). Never writes HTML
// from strings: only classes, textContent and form values.
"use strict";

function setupLayerToggles() {
  document.querySelectorAll("input[data-toggle]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.dataset.toggle, !box.checked);
    });
  });
}

function setupTagForm() {
  var text = document.getElementById("article-text");
  var file = document.getElementById("article-file");
  var count = document.getElementById("char-count");
  if (!text) { return; }
  var max = parseInt(text.getAttribute("maxlength") || "0", 10);
  function update() {
    if (count) { count.textContent = text.value.length.toLocaleString("en") + (max ? " / " + max.toLocaleString("en") : "") + " characters"; }
  }
  text.addEventListener("input", update);
  update();
  if (file) {
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      // Plain-text files are shown in the box; other formats go to the server as files.
      if (!chosen || !/\.(txt|md)$/i.test(chosen.name) || chosen.size > 4 * 1024 * 1024) { return; }
      var reader = new FileReader();
      reader.onload = function () { text.value = String(reader.result); file.value = ""; update(); };
      reader.readAsText(chosen);
    });
  }
}

function scrollToPassage() {
  var passage = document.getElementById("passage");
  if (passage) { passage.scrollIntoView({ block: "center" }); }
}

document.addEventListener("DOMContentLoaded", function () {
  setupLayerToggles();
  setupTagForm();
  scrollToPassage();
});
