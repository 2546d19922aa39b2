// The product page's gallery: a thumbnail shows its photo in place of the
// large one without jumping down the page. Without this script the
// thumbnails are links to the photo (`:target` in the stylesheet).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const gallery = document.getElementById("gallery");
  if (!gallery) return;
  const shots = gallery.querySelector(".shots");
  const links = [...gallery.querySelectorAll(".thumbs a[data-shot]")];
  if (!shots || links.length === 0) return;
  for (const link of links) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const target = document.getElementById(link.dataset.shot);
      if (!target) return;
      for (const shot of shots.querySelectorAll(".shot")) shot.classList.toggle("shown", shot === target);
      shots.classList.add("picked");
      for (const other of links) other.removeAttribute("aria-current");
      link.setAttribute("aria-current", "true");
    });
  }
});
