package dev.patchbay.core.state;

import dev.patchbay.core.codec.TypedJson;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The state of one named pattern, held by one run from {@link StateStore#open} until
 * {@link #close()}: its {@link Progress} (the positions of its endpoints, counts, failures) and its
 * keyed {@link Entry entries}. Reads are by key, so a run costs in proportion to what it touches,
 * not to how many entries there are. Reads may come from several threads at once (a sync reads
 * both sides' links together); saves, clear and close come from one thread at a time.
 */
public interface NamedState extends AutoCloseable {

  /** The name this state belongs to. */
  String name();

  /**
   * The progress saved last, if any.
   *
   * @param warnings told, a line each, of anything a person should know (a torn save passed over)
   * @throws dev.patchbay.core.SetupException where state exists but cannot be read
   */
  Optional<Progress> progress(Consumer<String> warnings);

  /** The entries of {@code space} with these keys, by key; keys with no entry are absent. */
  Map<String, Entry> entries(String space, Collection<String> keys);

  /** The entries of {@code space} with these aliases, by alias; aliases with no entry are absent. */
  Map<String, Entry> entriesByAlias(String space, Collection<String> aliases);

  /** How many entries of {@code space} carry {@code tag}. */
  long count(String space, String tag);

  /**
   * Saves {@code progress} and {@code entries} (each replacing the entry of its space and key, and
   * freeing the alias it had) in one atomic step: after a crash at any moment the state is the one
   * before or the one after, never a mixture; once this returns, the new state survives a crash.
   *
   * @throws IllegalArgumentException naming both entries, where an entry would take an alias another
   *     key holds (in the store, or in this save), or a value holds a type {@code TypedJson} does
   *     not keep; nothing is saved then
   * @throws dev.patchbay.core.HoldLostException where this run no longer holds the name (another
   *     took it after this run's hold was lost): every save carries the hold's fencing token, and
   *     one under a lost hold is refused; nothing is saved then
   */
  void save(Progress progress, Collection<Entry> entries);

  /**
   * Checks that this run still holds the name, before it acts on what the state says (a write to a
   * destination): a hold that lives on a connection is checked on it, and taken again on a new one
   * where that connection dropped and no other run took the name meanwhile. By default a hold
   * cannot be lost while its process lives: nothing to check.
   *
   * @throws dev.patchbay.core.HoldLostException where the hold was lost and could not be taken
   *     again: the run must stop
   */
  default void check() {
  }

  /**
   * This state as a dry run uses it: read through to this one, its saves (and a clear) kept in
   * memory and forgotten with it, never reaching this state. Closing it leaves this one held.
   */
  default NamedState scratch() {
    return new ScratchState(this);
  }

  /** Forgets the progress and every entry of this name: its next run starts from nothing. */
  void clear();

  /** Lets the next run of this name take it. */
  @Override
  void close();
}
