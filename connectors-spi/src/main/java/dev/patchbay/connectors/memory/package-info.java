/**
 * The in-memory connector: {@link dev.patchbay.connectors.memory.InMemoryStore}, a keyed store
 * that is a source, a destination and a lookup at once, optionally backed by a durable journal
 * file, with {@link dev.patchbay.connectors.memory.Faults injectable faults} for testing how a
 * pattern behaves when writes fail, acknowledgements are lost or the process dies.
 */
package dev.patchbay.connectors.memory;
