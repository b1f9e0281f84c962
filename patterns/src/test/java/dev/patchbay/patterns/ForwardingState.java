package dev.patchbay.patterns;

import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A named state that hands every call to another: tests override what they watch or break. */
public class ForwardingState implements NamedState {

  protected final NamedState state;

  public ForwardingState(NamedState state) {
    this.state = state;
  }

  @Override
  public String name() {
    return state.name();
  }

  @Override
  public Optional<Progress> progress(Consumer<String> warnings) {
    return state.progress(warnings);
  }

  @Override
  public Map<String, Entry> entries(String space, Collection<String> keys) {
    return state.entries(space, keys);
  }

  @Override
  public Map<String, Entry> entriesByAlias(String space, Collection<String> aliases) {
    return state.entriesByAlias(space, aliases);
  }

  @Override
  public long count(String space, String tag) {
    return state.count(space, tag);
  }

  @Override
  public void save(Progress progress, Collection<Entry> entries) {
    state.save(progress, entries);
  }

  @Override
  public void check() {
    state.check();
  }

  @Override
  public void clear() {
    state.clear();
  }

  @Override
  public void close() {
    state.close();
  }
}
