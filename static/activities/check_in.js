// Keeps the "checked in" count on the activity's scanner page up to date after each scan.
const count = document.querySelector("[data-checked-in-count]");
document.querySelector("[data-scanner]")?.addEventListener("scanner:result", (event) => {
  if (count && Number.isInteger(event.detail?.count)) count.textContent = String(event.detail.count);
});
