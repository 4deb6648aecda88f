package dev.headway.internal;

import dev.headway.InvalidUpdateException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON value model Headway stores: {@code Map<String,Object>} (ordered), {@code List<Object>},
 * {@code String}, {@code Long}, {@code Double}, {@code Boolean} and null, all unmodifiable.
 * Integral numbers are always {@code Long} and fractional ones {@code Double}, so equal JSON
 * gives equal Java values.
 */
public final class JsonValues {
  /** Deepest nesting accepted in any document, the same bound the codec applies. */
  public static final int MAX_DEPTH = 32;

  private JsonValues() {}

  /**
   * Returns an unmodifiable deep copy of {@code value} in the stored model.
   *
   * @throws InvalidUpdateException naming {@code path} for a value JSON cannot hold
   */
  public static Object normalize(String path, Object value) {
    return normalize(path, value, 0);
  }

  /** Normalizes an object's fields; see {@link #normalize(String, Object)}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> normalizeObject(String path, Map<String, ?> value) {
    return (Map<String, Object>) normalize(path, value, 0);
  }

  private static Object normalize(String path, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new InvalidUpdateException(path, null, "is nested deeper than " + MAX_DEPTH + " levels");
    }
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new InvalidUpdateException(path, value, "must be a finite number");
      }
      return d;
    }
    if (value instanceof BigInteger big) {
      if (big.bitLength() > 63) {
        throw new InvalidUpdateException(path, value, "is out of range (must fit in 64 bits)");
      }
      return big.longValue();
    }
    if (value instanceof BigDecimal dec) {
      try {
        return dec.stripTrailingZeros().scale() <= 0 ? dec.longValueExact() : checkedDouble(path, dec);
      } catch (ArithmeticException e) {
        throw new InvalidUpdateException(path, value, "is out of range (must fit in 64 bits)");
      }
    }
    if (value instanceof FrozenMap || value instanceof FrozenList) {
      return value; // already checked, and immutable all the way down
    }
    if (value instanceof Map<?, ?> map) {
      LinkedHashMap<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new InvalidUpdateException(path, e.getKey(), "has a key that is not a string");
        }
        copy.put(key, normalize(child(path, key), e.getValue(), depth + 1));
      }
      return FrozenMap.adopt(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(normalize(path + "[" + i + "]", list.get(i), depth + 1));
      }
      return FrozenList.adopt(copy);
    }
    throw new InvalidUpdateException(path, value,
        "has a value of type " + value.getClass().getSimpleName() + " that JSON cannot hold");
  }

  private static Double checkedDouble(String path, BigDecimal dec) {
    double d = dec.doubleValue();
    if (!Double.isFinite(d)) {
      throw new InvalidUpdateException(path, dec, "must be a finite number");
    }
    return d;
  }

  /** The dotted path of {@code key} under {@code parent}. */
  public static String child(String parent, String key) {
    return parent == null || parent.isEmpty() ? key : parent + "." + key;
  }

  /** True for the number types of the stored model. */
  public static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double;
  }
}
