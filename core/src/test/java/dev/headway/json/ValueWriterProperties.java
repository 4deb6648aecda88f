package dev.headway.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The streamed writer must produce exactly the JSON Jackson's own serializer would. */
class ValueWriterProperties {
  private static final ObjectMapper JACKSON = new ObjectMapper();
  private final ProgressCodec codec = ProgressCodec.defaults();

  @Property
  void writeGivesJacksonsJsonForEveryStoredValue(@ForAll("values") Object value) throws Exception {
    assertThat(codec.write(value)).isEqualTo(JACKSON.writeValueAsString(value));
  }

  @Property
  void writtenValuesReadBackEqual(@ForAll("objects") Object value) {
    assertThat(codec.readObject(codec.write(value))).isEqualTo(value);
  }

  @Provide
  Arbitrary<Object> values() {
    return nested(3);
  }

  @Provide
  Arbitrary<Object> objects() {
    return object(nested(2));
  }

  /** Values nested at most {@code depth} containers deep. */
  private static Arbitrary<Object> nested(int depth) {
    if (depth == 0) {
      return leaf();
    }
    Arbitrary<Object> inner = nested(depth - 1);
    return Arbitraries.oneOf(leaf(), inner.list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l)), object(inner));
  }

  private static Arbitrary<Object> leaf() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(6).map(s -> (Object) s),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null));
  }

  private static Arbitrary<Object> object(Arbitrary<Object> values) {
    return Arbitraries.maps(Arbitraries.strings().ofMaxLength(4), values).ofMaxSize(3)
        .map(m -> (Object) new LinkedHashMap<>(m));
  }
}
