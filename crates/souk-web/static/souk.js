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
  // The theme switch: the choice shows at once and is kept in the
  // background (without this script the form posts and comes back).
  for (const form of document.querySelectorAll("form[data-theme-switch]")) {
    form.addEventListener("submit", (event) => {
      const button = event.submitter;
      if (!button || button.name !== "theme" || !window.fetch) return;
      event.preventDefault();
      const theme = button.value;
      const root = document.documentElement;
      if (theme === "system") root.removeAttribute("data-theme");
      else root.setAttribute("data-theme", theme);
      const scheme = document.querySelector('meta[name="color-scheme"]');
      if (scheme) scheme.setAttribute("content", theme === "system" ? "light dark" : theme);
      for (const other of form.querySelectorAll('button[name="theme"]')) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      const body = new URLSearchParams(new FormData(form));
      body.set("theme", theme);
      fetch(form.action, { method: "POST", body, credentials: "same-origin", redirect: "manual" })
        .catch(() => {
          // Not kept: send the form as it would go without the script.
          const field = document.createElement("input");
          field.type = "hidden";
          field.name = "theme";
          field.value = theme;
          form.appendChild(field);
          HTMLFormElement.prototype.submit.call(form);
        });
    });
  }
  // Print buttons.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
