/**
 * Aggregation: many inputs merged into one golden record per entity, each field chosen by a
 * survivorship rule, every value naming where it came from. Start at
 * {@link dev.patchbay.patterns.aggregation.Aggregation#builder()} with an
 * {@link dev.patchbay.patterns.aggregation.Input} per system.
 */
package dev.patchbay.patterns.aggregation;
