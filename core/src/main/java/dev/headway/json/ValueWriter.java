package dev.headway.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Streams the stored value model (maps, lists, strings, numbers, booleans, null) to a generator.
 * A store writes a job's JSON on every update; walking the model straight into the generator skips
 * the serializer lookups and the intermediate maps that {@code ObjectMapper.writeValueAsString}
 * would spend on the same bytes. Anything outside the model goes to the mapper.
 */
final class ValueWriter {
  private ValueWriter() {}

  static void write(JsonGenerator g, Object value, ObjectMapper fallback) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Long l) {
      g.writeNumber(l);
    } else if (value instanceof Integer i) {
      g.writeNumber(i);
    } else if (value instanceof Double d) {
      g.writeNumber(d);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue(), fallback);
      }
      g.writeEndObject();
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (int i = 0, n = list.size(); i < n; i++) {
        write(g, list.get(i), fallback);
      }
      g.writeEndArray();
    } else if (value instanceof BigDecimal || value instanceof BigInteger || value instanceof Short
        || value instanceof Float || value instanceof Byte) {
      g.writeNumber(value.toString());
    } else {
      fallback.writeValue(g, value);
    }
  }
}
