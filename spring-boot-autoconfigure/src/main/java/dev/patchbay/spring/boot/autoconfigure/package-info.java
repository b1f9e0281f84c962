/**
 * Patchbay's Spring Boot autoconfiguration: {@link dev.patchbay.spring.boot.autoconfigure.PatchbayProperties}
 * (the {@code patchbay.*} settings), the {@link dev.patchbay.spring.boot.autoconfigure.PatchbayLifecycle}
 * that starts and stops the pattern beans, and the
 * {@link dev.patchbay.spring.boot.autoconfigure.PatchbayEndpoint} for migrations on command.
 */
package dev.patchbay.spring.boot.autoconfigure;
