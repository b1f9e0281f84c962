/**
 * Correlation's match rules: deciding whether a record of one system and a record of another are
 * the same entity. {@link dev.patchbay.patterns.correlation.MatchRule#exact exact} on normalised
 * keys, {@link dev.patchbay.patterns.correlation.FellegiSunter} weights over per-field
 * {@link dev.patchbay.patterns.correlation.FieldComparator comparison levels}, or a custom
 * function; every score carries its explanation, field by field. Which pairs are scored at all
 * is a {@link dev.patchbay.patterns.correlation.Blocking} (rules combined by OR), whose
 * {@link dev.patchbay.patterns.correlation.CandidatePairs candidates} are counted;
 * {@link dev.patchbay.patterns.correlation.Estimation} fits a Fellegi-Sunter rule's weights to
 * the records without labels.
 */
package dev.patchbay.patterns.correlation;
