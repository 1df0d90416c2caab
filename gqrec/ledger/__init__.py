"""Valorisation (REPORTS.md, « The attendance ledger »): the ledger of attendances and indemnities, the
EPP/DPC attestations and the attendance sheet — figures from the Registry (`figures`, `attestation`,
`sheet`), then one renderer per format (`formats`). Everything here but the regional totals names
physicians: `produce` refuses to write it under reports/ or inside the records root."""
