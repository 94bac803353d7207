// Background exports: asks the server every second how far each running export has got, and shows
// the page again once one is ready (its download link then appears). Without this script, reload.
(() => {
  const items = [...document.querySelectorAll("[data-export-progress]")].filter((item) => item.dataset.exportProgress);
  if (!items.length) return;
  const watch = (item) => {
    const bar = item.querySelector("progress");
    const label = item.querySelector("[data-progress-text]");
    let shown = -1;  // an answer from another instance may be older than the last one: never go back
    const poll = async () => {
      try {
        const response = await fetch(item.dataset.exportProgress, {headers: {Accept: "application/json"}});
        if (response.ok) {
          const state = await response.json();
          if (state.finished) {
            window.location.reload();
            return;
          }
          if (state.done >= shown) {
            shown = state.done;
            if (bar && state.total > 0) {
              bar.max = state.total;
              bar.value = Math.min(state.done, state.total);
            }
            label.textContent = state.text;
          }
        }
      } catch (error) {
        // The network dropped for a moment: ask again at the next tick.
      }
      window.setTimeout(poll, 1000);
    };
    window.setTimeout(poll, 1000);
  };
  items.forEach(watch);
})();
