package dev.patchbay.core.report;

/**
 * What a run did at one endpoint of its pattern (a migration's source and destination, a sync's
 * two sides): records or changes read from it, and how the records the run decided for it ended.
 * Every pattern's {@link Report#endpoints()} gives one per endpoint, under the endpoint's name.
 *
 * @param read      records (a migration's source) or changes (a sync side's feed) read from the endpoint
 * @param created   records created there
 * @param updated   records updated there
 * @param deleted   records deleted there
 * @param unchanged records the run looked at there and left as they were
 * @param skipped   records of the endpoint out of scope: neither written nor carried over
 * @param failed    records that failed at the endpoint: not read or not in scope at a source, refused
 *                  by a destination
 */
public record EndpointCounts(long read, long created, long updated, long deleted, long unchanged, long skipped,
                             long failed) {

  private static final EndpointCounts ZERO = new EndpointCounts(0, 0, 0, 0, 0, 0, 0);

  public static EndpointCounts zero() {
    return ZERO;
  }

  /** Records written to the endpoint: created, updated and deleted. */
  public long written() {
    return created + updated + deleted;
  }

  /** These counts and {@code other}'s, added up. */
  public EndpointCounts plus(EndpointCounts other) {
    return new EndpointCounts(read + other.read, created + other.created, updated + other.updated,
        deleted + other.deleted, unchanged + other.unchanged, skipped + other.skipped, failed + other.failed);
  }
}
