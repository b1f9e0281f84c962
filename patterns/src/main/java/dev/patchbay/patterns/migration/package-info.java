/**
 * Migration: move a scoped data set from one system to another in batches; resumable, reconciled,
 * graceful on bad records. Start at {@link dev.patchbay.patterns.migration.Migration#builder()}.
 */
package dev.patchbay.patterns.migration;
