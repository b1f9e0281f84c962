/**
 * What a run reports: {@link dev.patchbay.core.report.RunReport} with its
 * {@link dev.patchbay.core.report.Counts}, failures and
 * {@link dev.patchbay.core.report.Reconciliation}, and where they go
 * ({@link dev.patchbay.core.report.ResultCapture}). All immutable; reports export as JSON.
 */
package dev.patchbay.core.report;
