/*
 * The walk-in page: the scanner (scanner.js) reads a member code and the server says whose it is;
 * this fills the confirmation form with that code and shows the resident's name. A household card
 * names a household: its members are offered, and the one staff pick attends and pays.
 */
import "./scanner.js";

const form = document.querySelector("[data-walk-in-form]");
const code = form.querySelector("[data-member-code]");
const name = form.querySelector("[data-member-name]");
const missing = form.querySelector("[data-member-missing]");
const attendees = form.querySelector("[data-attendees]");
const options = form.querySelector("[data-attendee-options]");

function offerAttendees(members) {
  options.replaceChildren(...members.map((member) => {
    const label = document.createElement("label");
    const input = document.createElement("input");
    const name = document.createElement("span");
    label.className = "offering";
    Object.assign(input, { type: "radio", name: "attendee", value: member.id });
    name.className = "offering__name";
    name.textContent = member.name;
    label.append(input, " ", name);
    return label;
  }));
  attendees.hidden = members.length === 0;
}

document.addEventListener("scanner:result", (event) => {
  const answer = event.detail;
  const household = answer.result === "household";
  const member = answer.result === "member" || household;
  code.value = member ? answer.member_code : "";
  name.textContent = member ? answer.resident_name : "";
  missing.hidden = member;
  offerAttendees(household ? answer.members : []);
  if (member) form.querySelector("input[type=radio]")?.focus({ preventScroll: true });
});
