/**
 * Matching: whether two records are the same entity, as values with descriptions. A
 * {@link dev.patchbay.patterns.matching.MatchRule} scores a pair ({@code exact}, a
 * {@link dev.patchbay.patterns.matching.FellegiSunter} rule its weights may be
 * {@link dev.patchbay.patterns.matching.Estimation estimated} for, or the host's own); a
 * {@link dev.patchbay.patterns.matching.Blocking} says which pairs are scored at all. A correlation
 * links pairs of two systems with them; an aggregation finds entities across many.
 */
package dev.patchbay.patterns.matching;
