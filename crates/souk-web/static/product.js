// The product page's pickers: the price, stock and SKU follow the choice,
// and a value that the choices before it rule out (no such variant, or
// sold out) is disabled, the next one that can be bought chosen instead.
// The form works without this script: the server finds the variant of the
// chosen options.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("buy");
  const data = document.getElementById("variant-data");
  if (!form || !data) return;
  const variants = JSON.parse(data.textContent);
  const pickers = [...form.querySelectorAll("fieldset.picker")];
  if (pickers.length === 0) return;
  const names = pickers.map((picker) => picker.querySelector("input[type=radio]").name.slice(4));
  const fewLeft = Number(form.dataset.fewLeft || 5);
  const button = form.querySelector("button.add");
  const status = form.querySelector(".choice-status");
  // The price is shown with the stock only when the variants' prices differ.
  const pricesDiffer = new Set(variants.map((v) => v.price)).size > 1;

  const stockText = (stock) =>
    stock <= 0 ? "Sold out" : stock <= fewLeft ? `Only ${stock} left` : "In stock";

  function showStatus(variant) {
    status.replaceChildren();
    const add = (className, text) => {
      const span = document.createElement("span");
      span.className = className;
      span.textContent = text;
      status.append(span, " ");
    };
    if (!variant) {
      add("stock out", "This combination is not available.");
      return;
    }
    if (pricesDiffer) add("price", variant.price);
    add(`stock ${variant.stock > 0 ? "in" : "out"}`, stockText(variant.stock));
    add("muted small", `SKU ${variant.sku}`);
  }

  function update() {
    const choice = pickers.map((picker) => picker.querySelector("input:checked")?.value ?? null);
    pickers.forEach((picker, i) => {
      let firstOpen = null;
      for (const input of picker.querySelectorAll("input[type=radio]")) {
        const open = variants.some(
          (v) =>
            v.stock > 0 &&
            v.options[names[i]] === input.value &&
            names.slice(0, i).every((name, j) => v.options[name] === choice[j]),
        );
        input.disabled = !open;
        if (open && !firstOpen) firstOpen = input;
      }
      const checked = picker.querySelector("input:checked");
      if ((!checked || checked.disabled) && firstOpen) {
        firstOpen.checked = true;
        choice[i] = firstOpen.value;
      }
      const picked = picker.querySelector(".picked");
      if (picked) picked.textContent = choice[i] ?? "";
    });
    const variant = variants.find(
      (v) =>
        Object.keys(v.options).length === names.length &&
        names.every((name, j) => v.options[name] === choice[j]),
    );
    showStatus(variant);
    if (button) button.disabled = !variant || variant.stock <= 0;
  }

  form.addEventListener("change", (event) => {
    if (event.target.matches("fieldset.picker input[type=radio]")) update();
  });
  update();
});
