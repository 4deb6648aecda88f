package dev.headway.examples.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The shared secret requests must carry, as {@code Authorization: Bearer TOKEN}. Compared in
 * constant time; never logged ({@link #toString()} masks it). Thread-safe and immutable.
 */
public final class BearerToken {
  private static final String PREFIX = "bearer ";

  // Digests, not the token: comparing equal-length digests with MessageDigest.isEqual leaks
  // neither the content nor the length of the token through timing.
  private final byte[] digest;

  private BearerToken(String token) {
    this.digest = sha256(token);
  }

  /**
   * @throws IllegalArgumentException when the token is blank
   */
  public static BearerToken of(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the token must not be blank");
    }
    return new BearerToken(token.strip());
  }

  /** True when {@code authorization} is {@code Bearer} followed by the token. */
  public boolean allowsHeader(String authorization) {
    if (authorization == null || authorization.length() <= PREFIX.length()
        || !authorization.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
      return false;
    }
    return allowsToken(authorization.substring(PREFIX.length()).strip());
  }

  /** True when {@code token} is the token. */
  public boolean allowsToken(String token) {
    return token != null && MessageDigest.isEqual(digest, sha256(token));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "BearerToken(<masked>)";
  }
}
