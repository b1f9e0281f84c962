package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Fields;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.EntryCodec;
import dev.patchbay.patterns.aggregation.GoldenRecord.Member;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an aggregation keeps of one entity between runs, under its merge key: its golden id, when
 * that was minted, a digest of the output last written, each member's values (with the run that
 * last read it), and a person's overrides. The golden record is made again from this alone.
 *
 * @param key       the merge key
 * @param id        the golden id
 * @param minted    when the id was minted
 * @param written   a digest of the output last written; null where nothing was written (or it was deleted)
 * @param members   by member id ({@link #memberId}), each member and the run that last read it
 * @param overrides a person's values, field by field, over every rule
 */
record Entity(String key, String id, Instant minted, String written, Map<String, Kept> members, Fields overrides) {

  /** A member as kept: its values and the number of the run that last read it. */
  record Kept(Member member, long seen) {
  }

  static final String SPACE = "entity";

  Entity {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(minted, "minted");
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    Objects.requireNonNull(overrides, "overrides");
  }

  /** A new entity under {@code key}, its id minted now: random, never derived from a member's key. */
  static Entity minted(String key, Instant now) {
    return new Entity(key, java.util.UUID.randomUUID().toString(), now, null, Map.of(), Fields.empty());
  }

  /** A source record's id among an entity's members: its source's name (which holds no ':') and its key. */
  static String memberId(String source, String key) {
    return source + ":" + key;
  }

  List<Member> memberList() {
    List<Member> list = new ArrayList<>(members.size());
    members.values().forEach(k -> list.add(k.member()));
    return list;
  }

  Entity with(Member member, long seen) {
    Map<String, Kept> m = new LinkedHashMap<>(members);
    m.put(memberId(member.source(), member.key()), new Kept(member, seen));
    return new Entity(key, id, minted, written, m, overrides);
  }

  Entity without(String memberId) {
    Map<String, Kept> m = new LinkedHashMap<>(members);
    m.remove(memberId);
    return new Entity(key, id, minted, written, m, overrides);
  }

  Entity writing(String digest) {
    return new Entity(key, id, minted, digest, members, overrides);
  }

  Entity overriding(Fields overrides) {
    return new Entity(key, id, minted, written, members, overrides);
  }

  static final EntryCodec<Entity> CODEC = new EntryCodec<>() {
    @Override
    public String space() {
      return SPACE;
    }

    @Override
    public Entry encode(String key, Entity e) {
      Map<String, Object> members = new LinkedHashMap<>();   // named by place, not by id: one shape for every entity
      e.members.values().forEach(k -> members.put(Integer.toString(members.size()), Fields.of("source", k.member().source(),
          "key", k.member().key(), "version", k.member().version(), "seen", k.seen(), "values", k.member().values())));
      return new Entry(SPACE, key, null, null, Fields.ofNullable("id", e.id, "minted", e.minted, "written", e.written,
          "members", Fields.from(members), "overrides", e.overrides.size() == 0 ? null : e.overrides));
    }

    @Override
    public Entity decode(Entry entry) {
      Fields v = entry.value();
      Map<String, Kept> members = new LinkedHashMap<>();
      Fields kept = (Fields) v.get("members");
      for (String place : kept.names()) {
        Fields m = (Fields) kept.get(place);
        Member member = new Member((String) m.get("source"), (String) m.get("key"), (Long) m.get("version"),
            (Fields) m.get("values"));
        members.put(memberId(member.source(), member.key()), new Kept(member, (Long) m.get("seen")));
      }
      Fields overrides = (Fields) v.get("overrides");
      return new Entity(entry.key(), (String) v.get("id"), (Instant) v.get("minted"), (String) v.get("written"), members,
          overrides == null ? Fields.empty() : overrides);
    }
  };
}
