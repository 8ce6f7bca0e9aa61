/* Behaviour shared by every page, attached by data attributes: the Content-Security-Policy
   allows no inline script or event handler attribute. */
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
    field.form.submit();
  }
});
document.addEventListener("click", (event) => {
  const field = event.target;
  if (field.matches && field.matches("[data-select-on-click]")) {
    field.select();
  }
});
/* After a failed submit the error summary takes the focus, so that a screen reader announces it
   and its links lead on to each field: on load, and when HTMX swaps in a form that has one. */
function focusErrorSummary(root) {
  const summary = root.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
}
document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:afterSettle", (event) => focusErrorSummary(event.detail.elt));
