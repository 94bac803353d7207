// The card page: a print button, and a confirmation before re-issuing (the old card dies at once).
(() => {
  document.querySelector("[data-print]")?.addEventListener("click", () => window.print());
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
})();
