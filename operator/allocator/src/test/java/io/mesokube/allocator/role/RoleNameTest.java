package io.mesokube.allocator.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoleNameTest {
  @ParameterizedTest
  @ValueSource(strings = {"*", "eng", "eng/frontend", "a/b/c", "team-1", "a.b", "x_y"})
  void acceptsMesosRoleNames(String role) {
    RoleName.validate(role);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "/eng", "eng/", "a//b", ".", "..", "a/./b", "a/../b", "-eng", "a/-b", "a b", "a\tb",
        "a/*", "*/a"
      })
  void rejectsBadRoleNamesWithAReason(String role) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RoleName.validate(role))
        .withMessageContaining("Role");
  }

  @Test
  void rejectsNull() {
    assertThatIllegalArgumentException().isThrownBy(() -> RoleName.validate(null));
  }

  @Test
  void knowsParentsAndAncestors() {
    assertThat(RoleName.parent("a/b/c")).isEqualTo("a/b");
    assertThat(RoleName.parent("a")).isNull();
    assertThat(RoleName.isSelfOrAncestor("a", "a/b")).isTrue();
    assertThat(RoleName.isSelfOrAncestor("a/b", "a/b")).isTrue();
    assertThat(RoleName.isSelfOrAncestor("a", "ab")).isFalse();
    assertThat(RoleName.isSelfOrAncestor("a/b", "a")).isFalse();
  }

  @Property(tries = 200)
  void everyPathOfPlainSegmentsIsValid(
      @ForAll @AlphaChars @StringLength(min = 1, max = 8) String a,
      @ForAll @AlphaChars @StringLength(min = 1, max = 8) String b) {
    RoleName.validate(a + "/" + b);
    assertThat(RoleName.parent(a + "/" + b)).isEqualTo(a);
  }
}
