/**
 * The integration patterns, each in its own package ({@link dev.patchbay.patterns.migration}), and
 * what they share: {@link dev.patchbay.patterns.RetryPolicy}. Types in
 * {@code dev.patchbay.patterns.internal} are the engine, not API: they may change in any release.
 */
package dev.patchbay.patterns;
