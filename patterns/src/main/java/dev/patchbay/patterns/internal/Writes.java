package dev.patchbay.patterns.internal;

import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import java.util.List;

/** A batch written to a destination under a pattern's retries, and its answer checked: what every pattern's writes go through. */
public final class Writes {

  private Writes() {
  }

  /** A destination answered otherwise than one outcome per change, in order, each for its change's key. */
  public static final class WrongAnswer extends IllegalStateException {
    WrongAnswer(String message) {
      super(message);
    }
  }

  /**
   * The outcomes of writing {@code batch} to {@code destination} ({@code who}: "the destination",
   * "side B"), tried again on transient failures.
   *
   * @throws WrongAnswer where the destination answered a count or key other than asked
   * @throws dev.patchbay.core.TransientException the last one, where every attempt failed
   */
  public static <T> List<Outcome> write(Destination<T> destination, List<Change<T>> batch, Retrying retrying, String who) {
    return checked(retrying.call(() -> destination.write(batch)), batch, who);
  }

  /** {@code outcomes}, where they answer {@code batch}: one per change, in order, each for its key. */
  public static <T> List<Outcome> checked(List<Outcome> outcomes, List<Change<T>> batch, String who) {
    if (outcomes == null || outcomes.size() != batch.size()) {
      throw new WrongAnswer(who + " answered " + (outcomes == null ? "null" : outcomes.size()) + " outcomes for a batch of "
          + batch.size());
    }
    for (int i = 0; i < batch.size(); i++) {
      Outcome o = outcomes.get(i);
      if (o == null || !o.key().equals(batch.get(i).key())) {
        throw new WrongAnswer(who + " answered an outcome for key " + (o == null ? "null" : "'" + o.key() + "'")
            + " where it was asked to write '" + batch.get(i).key() + "'");
      }
    }
    return outcomes;
  }

  /**
   * The field every one of two or more writes failed on at {@link Stage#MAPPING}, the same for all;
   * else null: the destination has no place for a field the records carry, a setup error, not the
   * records'.
   */
  public static String misfit(List<Outcome> answered) {
    if (answered.size() < 2) {
      return null;
    }
    String field = null;
    for (Outcome o : answered) {
      if (!(o instanceof Outcome.Failed f) || f.stage() != Stage.MAPPING || f.field() == null
          || (field != null && !field.equals(f.field()))) {
        return null;
      }
      field = f.field();
    }
    return field;
  }
}
