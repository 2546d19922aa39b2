// Small enhancements; every page works without this script.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // A select marked data-autosubmit sends its form when changed.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form && select.form.submit());
  }
  // A button marked data-confirm asks before its form is sent.
  for (const button of document.querySelectorAll("[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
    });
  }
  // The catalogue's filters: open beside the products on a wide screen.
  if (window.matchMedia("(min-width: 880px)").matches) {
    for (const details of document.querySelectorAll("details.facets-toggle")) details.open = true;
  }
  // Print buttons.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
