/*
 * The walk-in page: the scanner (scanner.js) reads a member code and the server says whose it is;
 * this fills the confirmation form with that code and shows the resident's name.
 */
import "./scanner.js";

const form = document.querySelector("[data-walk-in-form]");
const code = form.querySelector("[data-member-code]");
const name = form.querySelector("[data-member-name]");
const missing = form.querySelector("[data-member-missing]");

document.addEventListener("scanner:result", (event) => {
  const answer = event.detail;
  const member = answer.result === "member";
  code.value = member ? answer.member_code : "";
  name.textContent = member ? answer.resident_name : "";
  missing.hidden = member;
  if (member) form.querySelector("input[type=radio]")?.focus({ preventScroll: true });
});
