// The import's progress bar: asks the server every second how far the work has got, and shows the
// page again (the preview or the summary) once it is over. Without this script the page reloads itself.
(() => {
  const box = document.querySelector("[data-import-progress]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const label = box.querySelector("[data-progress-text]");
  // An answer from another instance of the app may be older than the last one: never go back.
  const STAGES = [null, "reading", "checking", "writing"];
  let shown = {stage: 0, done: -1};
  const show = (state) => {
    const stage = STAGES.indexOf(state.stage);
    if (stage < shown.stage || (stage === shown.stage && state.done < shown.done)) return;
    shown = {stage, done: state.done};
    if (state.total > 0) {
      bar.max = state.total;
      bar.value = Math.min(state.done, state.total);
    }
    label.textContent = state.text;
  };
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.importProgress, {headers: {Accept: "application/json"}});
      if (response.ok) {
        const state = await response.json();
        if (!state.running) {
          window.location.reload();
          return;
        }
        show(state);
      }
    } catch (error) {
      // The network dropped for a moment: ask again at the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
})();
