// The logbook's four columns, as the engine names them (`LOGBOOK_COLUMNS`, docs/operations.md
// "When logbook-verify fails"): the page cannot import the engine, so it keeps this copy, and
// test/portal-logbook-columns.test.ts holds it equal to the engine's. The auditor's screen
// names a column of a `stored_form` break only when it is one of these, never a name it was
// merely sent (docs/portal.md "Screens", Logbook and keys).

export const LOGBOOK_COLUMNS: readonly string[] = ['actor', 'action', 'refs', 'details'];
