/** The patterns' meters for Micrometer: one {@link dev.patchbay.micrometer.PatchbayMetrics} a host registers. */
module dev.patchbay.micrometer {
  requires transitive dev.patchbay.patterns;
  requires transitive micrometer.core;
  requires org.slf4j;

  exports dev.patchbay.micrometer;
}
