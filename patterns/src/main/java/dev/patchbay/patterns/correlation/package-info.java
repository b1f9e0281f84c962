/**
 * Correlation: the records two systems already share, linked by a
 * {@link dev.patchbay.patterns.matching.MatchRule} over the pairs a
 * {@link dev.patchbay.patterns.matching.Blocking} makes candidates, kept in a crosswalk, and kept
 * in sync; nothing created, nothing leaked to a system that lacks the entity. Start at
 * {@link dev.patchbay.patterns.correlation.Correlation#builder()}.
 */
package dev.patchbay.patterns.correlation;
