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
