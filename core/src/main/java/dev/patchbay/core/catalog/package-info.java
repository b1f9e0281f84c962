/**
 * The integration catalog's entries: what each integration moves, between which systems, how often
 * and how. Patterns describe themselves as entries; the {@code patchbay-catalog} module reads and
 * writes catalogs, reviews them, orders the fixes and gates production.
 */
package dev.patchbay.core.catalog;
