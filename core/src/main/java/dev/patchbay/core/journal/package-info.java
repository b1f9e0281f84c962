/** Append-only JSON Lines files for durable state: the in-memory connector's journal, the file link store. */
package dev.patchbay.core.journal;
