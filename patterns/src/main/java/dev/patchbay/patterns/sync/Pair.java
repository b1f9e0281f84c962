package dev.patchbay.patterns.sync;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.patterns.sync.SyncReport.ResolvedConflict;

/** A pair of keys the round looks at, what each side holds, and what the round decides for it. */
final class Pair {
  final String aKey;
  final String bKey;
  /** The pair's link; null for records not linked yet, and for a closed pair linked anew. */
  Link link;
  Envelope<Fields> a;
  Envelope<Fields> b;
  Change<Fields> toA;
  Change<Fields> toB;
  /** The link once the writes are done; null where nothing changes for it. */
  Link next;
  ResolvedConflict conflict;
  /** Settled without reading the other side: the changed side holds the base (the sync's own write, say). */
  boolean quiet;
  /** A linked pair one of whose records is out of its side's scope: left alone. */
  boolean outOfScope;
  /** Records not linked, held on one side only, of a sync that creates nothing: left alone. */
  boolean alone;
  /** A closed pair with a record on a side again: read, to be reported or linked anew. */
  boolean reopened;
  /** Not decided: the mapping or a scope failed on its records (a failure named by its side A key). */
  boolean failed;

  Pair(String aKey, String bKey, Link link) {
    this.aKey = aKey;
    this.bKey = bKey;
    this.link = link;
  }
}
