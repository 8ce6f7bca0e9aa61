"""The layout machinery of finsam.documents.pdf (moved from the compiled report's tests)."""


def test_it_lays_out_in_as_many_processes_as_cpus_are_idle(settings, monkeypatch):
    from finsam.documents import pdf

    settings.COMPILED_REPORT_PARTS = None
    monkeypatch.setattr(pdf.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(pdf, "_idle_cpus", lambda: 1.6)
    assert pdf._part_workers() == 2
    monkeypatch.setattr(pdf, "_idle_cpus", lambda: 0.6)  # one CPU busy with other work
    assert pdf._part_workers() == 2
    monkeypatch.setattr(pdf, "_idle_cpus", lambda: 0.4)  # more than one CPU busy
    assert pdf._part_workers() == 1
    monkeypatch.setattr(pdf, "_idle_cpus", lambda: -3)  # overloaded
    assert pdf._part_workers() == 1
    settings.COMPILED_REPORT_PARTS = 2
    assert pdf._part_workers() == 2


def test_idle_cpus_are_measured_now_not_by_the_load_average(monkeypatch):
    import psutil

    from finsam.documents import pdf

    monkeypatch.setattr(pdf.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(psutil, "cpu_percent", lambda interval: 75.0)
    assert pdf._idle_cpus() == 0.5
    monkeypatch.setattr(psutil, "cpu_percent", lambda interval: 0.0)
    assert pdf._idle_cpus() == 2
