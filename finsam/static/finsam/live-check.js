/* Live checks of the participant forms (a form with data-live-check="<url>").

   When the user leaves a field (its change event), the form is posted to the check URL with
   HTMX (the header HX-Trigger-Name names the field). The answer holds the field's messages
   only, #messages-<name>, and the hint that depends on it: inputs are never replaced, so
   nothing the user types while a check runs is lost. The whole form is checked on submit. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = input.form;
    if (!form || !form.dataset.liveCheck || !input.name) {
      return;
    }
    var messages = document.getElementById("messages-" + input.name);
    if (messages) {
      htmx.ajax("POST", form.dataset.liveCheck, {source: input, target: messages, swap: "outerHTML"});
    }
  });

  /* An input's invalid state follows its messages (data-invalid), since only they are swapped. */
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("form[data-live-check]").forEach(function (form) {
      form.querySelectorAll("[id^='messages-'][data-invalid]").forEach(function (messages) {
        var invalid = messages.dataset.invalid === "true";
        var name = messages.id.slice("messages-".length);
        form.querySelectorAll("[name='" + CSS.escape(name) + "']").forEach(function (input) {
          input.classList.toggle("is-invalid", invalid);
          if (invalid) {
            input.setAttribute("aria-invalid", "true");
          } else {
            input.removeAttribute("aria-invalid");
          }
        });
      });
    });
  });

  /* The enrol form: registering with identity or anonymously shows the fields that apply. */
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name !== "anonymous_reason" || !input.form) {
      return;
    }
    var anonymous = input.value !== "";
    input.form.querySelectorAll("[data-registration]").forEach(function (block) {
      block.hidden = (block.dataset.registration === "anonymous") !== anonymous;
    });
  });
})();
