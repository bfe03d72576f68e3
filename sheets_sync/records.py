"""Clean rows turned into domain records: loans and repayments for now.

Only rows without errors come here (the caller leaves the others out), so
required values are present.  IDs are matched the forgiving way staff type
them (``id_key``), but a record keeps the ID as written on the sheet.
"""

from __future__ import annotations

from typing import Iterable

from .loans import Loan, Repayment, method_for
from .workbook import Row, id_key

__all__ = ["loan_from_row", "loans_from_rows", "repayment_from_row", "repayments_from_rows"]

_LOAN_FIELDS = ("loan_id", "member_id", "disbursed_on", "amount", "rate", "months")


def loan_from_row(row: Row) -> Loan | None:
    """The loan on ``row``, or None when a value it needs is missing."""
    if any(row[f] is None for f in _LOAN_FIELDS) or row["amount"] < 1 or row["months"] < 1:
        return None
    return Loan(
        loan_id=row["loan_id"],
        member_id=row["member_id"],
        disbursed_on=row["disbursed_on"],
        amount=row["amount"],
        rate=row["rate"],
        months=row["months"],
        method=method_for(row["interest_method"], row["principal_method"]),
    )


def loans_from_rows(rows: Iterable[Row]) -> dict[str, Loan]:
    """Loans by ``id_key`` of their ID; the first row wins on a repeated ID."""
    loans: dict[str, Loan] = {}
    for row in rows:
        loan = loan_from_row(row)
        if loan is not None:
            loans.setdefault(id_key(loan.loan_id), loan)
    return loans


def repayment_from_row(row: Row, loans: dict[str, Loan]) -> Repayment | None:
    """The repayment on ``row``, tied to its loan's ID as the loan writes it."""
    if row["paid_on"] is None or row["loan_id"] is None:
        return None
    loan = loans.get(id_key(row["loan_id"]))
    if loan is None:
        return None
    return Repayment(loan.loan_id, row["paid_on"], row.get("principal", 0), row.get("interest", 0), row.get("penalty", 0))


def repayments_from_rows(rows: Iterable[Row], loans: dict[str, Loan]) -> list[Repayment]:
    """Repayments of known loans, in sheet order."""
    return [r for r in (repayment_from_row(row, loans) for row in rows) if r is not None]
