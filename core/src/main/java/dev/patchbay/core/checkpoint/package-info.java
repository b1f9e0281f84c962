/**
 * Where patterns keep their {@link dev.patchbay.core.report.Progress} between runs:
 * {@link dev.patchbay.core.checkpoint.CheckpointStore#inMemory()} for tests and single-process
 * jobs, {@link dev.patchbay.core.checkpoint.CheckpointStore#directory(java.nio.file.Path)} for
 * runs that must survive a kill or a power loss.
 */
package dev.patchbay.core.checkpoint;
