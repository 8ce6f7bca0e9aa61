/* Invite a user: initiatives are chosen only for initiative-scoped roles; hide (and clear) them
   otherwise. The scoped roles come from the page (json_script "scoped-roles"). */
document.addEventListener("DOMContentLoaded", () => {
  const role = document.getElementById("id_role");
  const box = document.getElementById("initiatives-box");
  const scoped = JSON.parse(document.getElementById("scoped-roles").textContent);
  const sync = () => {
    const show = scoped.includes(role.value);
    if (!show && !box.querySelector(".invalid-feedback")) {
      box.querySelectorAll("input[type=checkbox]").forEach((c) => { c.checked = false; });
    }
    box.hidden = !show && !box.querySelector(".invalid-feedback");
  };
  role.addEventListener("change", sync);
  sync();
});
