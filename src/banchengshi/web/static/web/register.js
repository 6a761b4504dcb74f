// The live check of a field puts its messages into the field's error slot (an htmx swap);
// the input's aria-invalid follows, so that a screen reader says whether the value is valid.
document.addEventListener("htmx:afterSwap", (event) => {
  const slot = event.detail.target;
  if (!slot || !slot.dataset || !slot.dataset.errorFor) return;
  const input = document.getElementById(slot.dataset.errorFor);
  if (!input) return;
  if (slot.textContent.trim()) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
});

// A proposal's "accept" button puts its value into the form's field, which stays editable;
// the change event lets the form's live checks and panels see it as if chosen by hand.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-accept-for]");
  if (!button) return;
  const field = document.getElementById(button.dataset.acceptFor);
  if (!field) return;
  field.value = button.dataset.acceptValue;
  field.dispatchEvent(new Event("change", { bubbles: true }));
  const kept = document.createElement("span");
  kept.className = "proposal-kept";
  kept.textContent = button.dataset.acceptedText;
  button.replaceWith(kept);
});
