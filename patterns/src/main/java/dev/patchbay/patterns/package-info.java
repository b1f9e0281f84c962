/**
 * The integration patterns, each in its own package ({@link dev.patchbay.patterns.migration}), and
 * what they share: {@link dev.patchbay.patterns.RetryPolicy}. Types in
 * {@code dev.patchbay.patterns.internal} are the engine, not API: they may change in any release.
 *
 * <p>What each pattern promises (M1 to M7, S1 to S6, C1 to C6, B1 to B5, A1 to A7: the names this
 * javadoc uses), each with the tests that check it: {@code docs/promises.md} in the project's
 * repository.
 */
package dev.patchbay.patterns;
