"""Permissions that follow from a role rather than from groups kept in the database."""

from django.contrib.auth.backends import BaseBackend

from finsam.core.roles import Role

# The operator maintains the national code lists and the municipalities in the admin (codes are
# retired by setting them inactive, never deleted, and reworded as a new version; lists and their
# versions are loaded from files and only shown: see `finsam.reference.admin`), and sets up the
# organisations' identity providers (switched off by `is_active`, not deleted).
OPERATOR_PERMISSIONS = frozenset(
    f"{app}.{action}_{model}"
    for app, model in (
        ("reference", "code"),
        ("reference", "codelist"),
        ("reference", "municipality"),
        ("reference", "region"),
        ("socialaccount", "socialapp"),
        ("accounts", "identityprovider"),
    )
    for action in ("view", "add", "change")
)


class RolePermissionBackend(BaseBackend):
    """Grants the operator role its admin permissions. Authenticates nobody."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_role_perm_cache"):
            is_operator = user_obj.role_assignments.filter(role=Role.OPERATOR).exists()
            user_obj._role_perm_cache = set(OPERATOR_PERMISSIONS) if is_operator else set()
        return user_obj._role_perm_cache

    def has_module_perms(self, user_obj, app_label):
        return any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj))
