// The member QR refreshes itself: a fresh signed code is fetched every data-refresh-seconds,
// and at once when the page comes back into view (the old one may have expired meanwhile).
(() => {
  const image = document.querySelector("[data-member-qr]");
  if (!image) return;
  const every = (Number(image.dataset.refreshSeconds) || 30) * 1000;
  const base = image.src.split("?")[0];
  const refresh = () => { image.src = `${base}?t=${Date.now()}`; };
  setInterval(refresh, every);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
})();
