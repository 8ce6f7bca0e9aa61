/* The report page: autosave and the summary button answer 422 with a message ("Sparades inte:
   …", also when the report was submitted meanwhile). Show it instead of dropping it. */
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
