"""The one way a write service saves a tracked object with its history (simple-history).

`save_with_history` saves an object and its many-to-many sets as ONE historical record naming
who made the change and why; `LeanHistoricalRecords` is the `HistoricalRecords` every tracked
model with many-to-many sets uses, writing the same records with less work. Used by the
initiatives (an initiative with its target groups and municipalities) and the participants
(an enrolment with its code sets). Who changed what is also in the change log
(`finsam.audit.services.record_change`); the history keeps every version of the object itself.
"""

from __future__ import annotations

from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords
from simple_history.signals import (
    post_create_historical_m2m_records,
    pre_create_historical_m2m_records,
)


class _HistoryDescriptor(HistoryDescriptor):
    """`Model.history`, building its manager class once instead of on every access.

    simple_history's descriptor calls `Manager.from_queryset()` (which walks the queryset class
    with `inspect.getmembers`) each time `instance.history` is read, and it reads it for every
    record it writes: about a millisecond and a half per record.
    """

    def __get__(self, instance, owner):
        manager_class = self.__dict__.get("_manager_class")
        if manager_class is None:
            manager_class = self._manager_class = self.manager_class.from_queryset(
                self.queryset_class
            )
        return manager_class(self.model, instance)


class LeanHistoricalRecords(HistoricalRecords):
    """simple_history's records, written with less work; the records are the same.

    - The `history` manager class is built once (`_HistoryDescriptor`).
    - The snapshot of the code sets (many-to-many) of each record costs one query per set.
      Out of the box simple_history first rebuilds the tracked object from the historical
      record to find the through table (one extra query per set, because `created_at` and
      `updated_at` are excluded from the history) and reads the rows with their enrolment and
      code joined; here the saved object itself is used and the rows are read as plain values.
    - A set the caller has just written is not read back at all: `write_record(instance,
      history_type, code_sets={field name: through rows with their ids})` writes the record
      now, taking those rows as they are (a set left out is read as usual).
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            descriptor = sender.__dict__[self.manager_name]
            setattr(
                sender,
                self.manager_name,
                _HistoryDescriptor(
                    descriptor.model,
                    manager=descriptor.manager_class,
                    queryset=descriptor.queryset_class,
                ),
            )
            sender._lean_history = self

    def write_record(self, instance, history_type: str, *, code_sets: dict) -> None:
        instance._history_code_sets = code_sets
        try:
            self.create_historical_record(instance, history_type)
        finally:
            del instance._history_code_sets

    def create_historical_record_m2ms(self, history_instance, instance):
        written = getattr(instance, "_history_code_sets", {})
        for field in history_instance._history_m2m_fields:
            m2m_history_model = self.m2m_models[field]
            through = field.remote_field.through
            columns = [f.attname for f in through._meta.concrete_fields]
            rows = written.get(field.name)
            if rows is None:
                values = through.objects.filter(**{field.m2m_field_name(): instance.pk}).values(
                    *columns
                )
            else:
                values = [{column: getattr(row, column) for column in columns} for row in rows]
            insert_rows = [m2m_history_model(history=history_instance, **v) for v in values]
            # simple_history's signals around the insert, with the arguments it sends.
            signal = {
                "sender": m2m_history_model,
                "history_instance": history_instance,
                "instance": instance,
                "field": field,
            }
            pre_create_historical_m2m_records.send(rows=insert_rows, **signal)
            created_rows = m2m_history_model.objects.bulk_create(insert_rows)
            post_create_historical_m2m_records.send(created_rows=created_rows, **signal)


def write_code_set(obj, name: str, values, *, created: bool) -> list:
    """Make the many-to-many set `name` of `obj` exactly `values`; return its through rows.

    Like the related manager's `set()`/`add()` but without their look-ups of what is already
    there when the object is new, and handing back the rows (with their ids) so that the
    history need not read them again. No `m2m_changed` signal is sent: the only receiver,
    simple_history, is replaced by the one record `save_with_history` writes.
    """
    field = type(obj)._meta.get_field(name)
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    wanted = list(dict.fromkeys(value.pk for value in values))
    kept = []
    if not created:
        current = list(through.objects.filter(**{source: obj.pk}))
        stale = [row.pk for row in current if getattr(row, target) not in wanted]
        if stale:
            through.objects.filter(pk__in=stale).delete()
        kept = [row for row in current if getattr(row, target) in wanted]
    have = {getattr(row, target) for row in kept}
    added = [through(**{source: obj.pk, target: pk}) for pk in wanted if pk not in have]
    if added:
        through.objects.bulk_create(added)
    getattr(obj, "_prefetched_objects_cache", {}).pop(name, None)
    return kept + added


def save_with_history(obj, *, user, reason: str = "", m2m: dict | None = None) -> None:
    """Save `obj` (and its many-to-many sets `m2m`: {name: values}) as ONE historical record
    with who and why.

    simple_history writes a record on every save and on every change of a many-to-many set; a
    change touching two sets would otherwise leave three records. Here the object and its sets
    are written without history, then one record is written with the sets as they now are (the
    sets written here are not read back). The model's history must be `LeanHistoricalRecords`.
    """
    obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]
    created = obj.pk is None
    if not m2m and not created:
        obj.save()
        return
    obj.save_without_historical_record()
    code_sets = {
        name: write_code_set(obj, name, values, created=created)
        for name, values in (m2m or {}).items()
    }
    if created:
        # A new object's other sets are empty: nothing to read back.
        names = [field.name for field in type(obj)._meta.many_to_many]
        code_sets.update({name: [] for name in names if name not in code_sets})
    if any(row.pk is None for rows in code_sets.values() for row in rows):
        # The database did not return the new rows' ids: let the history read them.
        code_sets = {}
    type(obj)._lean_history.write_record(obj, "+" if created else "~", code_sets=code_sets)
