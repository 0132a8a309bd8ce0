"""Recipient import: CSV (UTF-8, UTF-8 BOM, GB18030/GBK, UTF-16) and XLSX files into a validated report.

Public API: `import_recipients(path, options)`, `import_bytes(data, filename, options)`, `ImportOptions`,
`ImportReport`, `Recipient`, `RowError`, `FormIdLedger`.
"""

from __future__ import annotations

from console.core.recipients.importer import import_bytes, import_recipients
from console.core.recipients.model import FormIdLedger, ImportOptions, ImportReport, Recipient, RowError

__all__ = ["FormIdLedger", "ImportOptions", "ImportReport", "Recipient", "RowError", "import_bytes",
           "import_recipients"]
