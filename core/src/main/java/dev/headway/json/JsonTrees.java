package dev.headway.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headway.InvalidUpdateException;
import dev.headway.internal.FrozenList;
import dev.headway.internal.FrozenMap;
import dev.headway.internal.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts Jackson trees into the stored value model of {@link JsonValues}. */
final class JsonTrees {
  private JsonTrees() {}

  static Object toValue(String path, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw new InvalidUpdateException(path, node.asText(), "is out of range (must fit in 64 bits)");
      }
      return node.longValue();
    }
    if (node.isNumber()) {
      double d = node.doubleValue();
      if (!Double.isFinite(d)) {
        throw new InvalidUpdateException(path, node.asText(), "must be a finite number");
      }
      return d;
    }
    if (node.isObject()) {
      LinkedHashMap<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        out.put(e.getKey(), toValue(JsonValues.child(path, e.getKey()), e.getValue()));
      }
      return FrozenMap.adopt(out);
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>(node.size());
      for (int i = 0; i < node.size(); i++) {
        out.add(toValue(path + "[" + i + "]", node.get(i)));
      }
      return FrozenList.adopt(out);
    }
    throw new InvalidUpdateException(path, node.asText(), "is not a JSON value Headway can store");
  }
}
