package dev.patchbay.patterns.sync;

/** One of the two systems a {@link BidirectionalSync} keeps as one. */
public enum Side {
  A, B;

  /** The other side. */
  public Side other() {
    return this == A ? B : A;
  }
}
