"""The training box of the settings page (sandbox only): the simulator's latency and error rate to practise with,
and the random extra latency (jitter) of the demo when it has one. The page applies the values (SettingsController)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QPushButton, QSpinBox, QWidget

from console.ui.texts import settings as t
from console.ui.views.account_summary import hint_label


class FaultsBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(t.FAULTS_GROUP, parent)
        fl = QFormLayout(self)
        fl.addRow(hint_label(t.FAULTS_HINT, self))
        self.latency_spin = QSpinBox(self)
        self.latency_spin.setRange(0, 10_000)
        self.latency_spin.setSingleStep(100)
        self.latency_spin.setSuffix(t.LATENCY_SUFFIX)
        self.fail_spin = QSpinBox(self)
        self.fail_spin.setRange(0, 100)
        self.fail_spin.setSuffix(t.FAIL_RATE_SUFFIX)
        self.apply_button = QPushButton(t.APPLY_FAULTS, self)
        for spin in (self.latency_spin, self.fail_spin):
            spin.setMaximumWidth(160)
        self.jitter_label = hint_label("", self)
        latency_row = QHBoxLayout()
        latency_row.addWidget(self.latency_spin)
        latency_row.addWidget(self.jitter_label, 1)
        fl.addRow(t.LATENCY, latency_row)
        fl.addRow(t.FAIL_RATE, self.fail_spin)
        apply_row = QHBoxLayout()
        apply_row.addWidget(self.apply_button)
        apply_row.addStretch(1)
        fl.addRow(apply_row)

    def show_faults(self, faults: dict[str, float]) -> None:
        """What the simulator does now (SettingsController.current_faults)."""
        self.latency_spin.setValue(round(faults.get("latency_ms", 0.0)))
        self.fail_spin.setValue(round(faults.get("fail_rate", 0.0) * 100))
        jitter = round(faults.get("jitter_ms", 0.0))
        self.jitter_label.setText(t.JITTER_NOTE.format(jitter=jitter) if jitter else "")
        self.jitter_label.setVisible(bool(jitter))
