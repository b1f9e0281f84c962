/**
 * The in-memory connector: {@link dev.patchbay.connectors.memory.InMemoryStore}, a keyed store
 * that is a source, a change feed, a destination and a lookup at once, optionally backed by a
 * durable journal file. The connector test kit's {@code Faulty} wraps one to test how a pattern
 * behaves when writes fail, acknowledgements are lost or the process dies.
 */
package dev.patchbay.connectors.memory;
