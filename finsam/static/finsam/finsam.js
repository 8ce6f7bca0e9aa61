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
