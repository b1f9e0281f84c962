/**
 * The five elements every Patchbay pattern is composed from, and the values they pass.
 *
 * <ul>
 *   <li>{@link dev.patchbay.core.Source} reads {@link dev.patchbay.core.Envelope records} after a
 *       {@link dev.patchbay.core.Checkpoint} through a {@link dev.patchbay.core.Cursor};</li>
 *   <li>{@link dev.patchbay.core.ScopeCriteria} decides which records a pattern may touch;</li>
 *   <li>{@link dev.patchbay.core.Transform} maps a record to the destination's shape;</li>
 *   <li>{@link dev.patchbay.core.Destination} applies keyed {@link dev.patchbay.core.Change changes}
 *       and answers one {@link dev.patchbay.core.Outcome} per change;</li>
 *   <li>{@link dev.patchbay.core.report.ResultCapture} receives every outcome and the final run report.</li>
 * </ul>
 *
 * <p>All five are functional interfaces: a lambda is a valid implementation. Optional abilities
 * are separate interfaces ({@link dev.patchbay.core.Lookup}) rather than methods that throw.
 *
 * <p>Errors form one unchecked family rooted at {@link dev.patchbay.core.PatchbayException}:
 * {@link dev.patchbay.core.SetupException} (the setup is wrong; fix the code or configuration),
 * {@link dev.patchbay.core.DataException} (one record is wrong; reported, never retried) and
 * {@link dev.patchbay.core.TransientException} (try again; retried with backoff).
 */
package dev.patchbay.core;
