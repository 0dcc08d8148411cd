package io.mesokube.allocator.role;

/**
 * Mesos' rules for role names: hierarchical paths like {@code eng/frontend}, with {@code *} as the
 * default role.
 */
public final class RoleName {
  /** The default role, which every framework may use and nothing can be reserved for. */
  public static final String DEFAULT = "*";

  private RoleName() {}

  /**
   * Checks a role name.
   *
   * @throws IllegalArgumentException with the rule that was broken
   */
  public static void validate(String role) {
    if (role == null || role.isEmpty()) {
      throw new IllegalArgumentException("Role name must not be empty");
    }
    if (DEFAULT.equals(role)) {
      return;
    }
    if (role.startsWith("/") || role.endsWith("/")) {
      throw new IllegalArgumentException("Role '" + role + "' must not start or end with '/'");
    }
    for (int i = 0; i < role.length(); i++) {
      char c = role.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException("Role '" + role + "' must not contain whitespace");
      }
    }
    for (String segment : role.split("/", -1)) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException("Role '" + role + "' has an empty path segment");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "Role '" + role + "' must not have a '.' or '..' segment");
      }
      if (segment.startsWith("-")) {
        throw new IllegalArgumentException("Role '" + role + "' has a segment starting with '-'");
      }
      if (segment.equals(DEFAULT)) {
        throw new IllegalArgumentException("Role '" + role + "' uses '*' inside a path");
      }
    }
  }

  /** The parent path, or null for a top-level role. */
  public static String parent(String role) {
    int slash = role.lastIndexOf('/');
    return slash < 0 ? null : role.substring(0, slash);
  }

  /** Whether {@code ancestor} is {@code role} itself or one of its ancestors. */
  public static boolean isSelfOrAncestor(String ancestor, String role) {
    return role.equals(ancestor)
        || (role.length() > ancestor.length()
            && role.startsWith(ancestor)
            && role.charAt(ancestor.length()) == '/');
  }
}
