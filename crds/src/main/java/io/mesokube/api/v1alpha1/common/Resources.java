package io.mesokube.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A bundle of Mesos resources in Mesos' units: cpus in cores (to a thousandth), mem and disk in
 * MiB, whole GPUs, and port ranges.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.ports) || self.ports.all(a, self.ports.all(b, a == b || a.end < b.begin"
            + " || b.end < a.begin))",
    message = "port ranges must not overlap")
@ValidationRule(
    value = "!has(self.ports) || self.ports.map(r, r.begin).isSorted()",
    message = "port ranges must be ordered by begin")
public record Resources(
    @JsonPropertyDescription("CPU, in cores; fractions are kept to a thousandth (0.001).")
        @Min(0)
        @Max(100000)
        Double cpus,
    @JsonPropertyDescription("Memory, in MiB.") @Min(0) @Max(1.0e9) Double mem,
    @JsonPropertyDescription("Scratch disk, in MiB.") @Min(0) @Max(1.0e12) Double disk,
    @JsonPropertyDescription("Whole GPUs.") @Min(0) @Max(1024) Integer gpus,
    @JsonPropertyDescription("Port ranges, ordered and not overlapping.") @Size(max = 16)
        List<PortRange> ports) {

  /** No resources at all. */
  public static final Resources NONE = new Resources(null, null, null, null, null);

  /** Shorthand for a bundle of cpus and mem only. */
  public static Resources of(double cpus, double mem) {
    return new Resources(cpus, mem, null, null, null);
  }
}
