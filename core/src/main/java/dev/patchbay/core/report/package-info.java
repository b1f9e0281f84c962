/**
 * What a run reports: {@link dev.patchbay.core.report.RunReport} with its
 * {@link dev.patchbay.core.report.Counts}, failures and
 * {@link dev.patchbay.core.report.Reconciliation}, and the
 * {@link dev.patchbay.core.report.Progress} a pattern saves after each committed batch. All
 * immutable; reports and progress export as JSON.
 */
package dev.patchbay.core.report;
