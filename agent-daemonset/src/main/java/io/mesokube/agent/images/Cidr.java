package io.mesokube.agent.images;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A CIDR block of IPv4 or IPv6 addresses, for {@code insecure-registries} entries such as {@code
 * 127.0.0.0/8}. Only IP literals are matched: a host name is never resolved to decide whether TLS
 * is verified.
 */
record Cidr(BigInteger network, int prefix, int bits) {
  private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");

  /** Parses {@code a.b.c.d/n} or {@code ipv6/n}; throws IllegalArgumentException when invalid. */
  static Cidr parse(String block) {
    int slash = block.indexOf('/');
    String address = slash < 0 ? "" : block.substring(0, slash);
    InetAddress ip = literal(address);
    int prefix;
    try {
      prefix = Integer.parseInt(block.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    int bits = ip == null ? 0 : ip.getAddress().length * 8;
    if (ip == null || prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("invalid CIDR block '" + block + "'");
    }
    return new Cidr(new BigInteger(1, ip.getAddress()).shiftRight(bits - prefix), prefix, bits);
  }

  /** Whether {@code host}, an IP literal, is in this block; false for host names. */
  boolean contains(String host) {
    InetAddress ip = literal(host);
    if (ip == null || ip.getAddress().length * 8 != bits) {
      return false;
    }
    return new BigInteger(1, ip.getAddress()).shiftRight(bits - prefix).equals(network);
  }

  /** The host of {@code host[:port]} or {@code [ipv6]:port}. */
  static String host(String registry) {
    if (registry.startsWith("[")) {
      int end = registry.indexOf(']');
      return end < 0 ? registry : registry.substring(1, end);
    }
    int colon = registry.lastIndexOf(':');
    return colon < 0 || registry.indexOf(':') != colon ? registry : registry.substring(0, colon);
  }

  /** The address of an IP literal, or null: a host name is not looked up. */
  private static InetAddress literal(String text) {
    if (!IPV4.matcher(text).matches() && !text.contains(":")) {
      return null;
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }
}
