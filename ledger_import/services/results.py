"""What an import reports: shared by the ledger and the repayment import."""

from dataclasses import dataclass, field

from ledger_import.parsing import Issue


@dataclass
class ImportResult:
    rows_total: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    @property
    def rejected(self) -> bool:
        return bool(self.errors)
