package io.mesokube.api.v1alpha1.role;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.mesokube.api.Mesokube;

/** Weight and quota of a Mesos role (named RolePolicy so as not to collide with RBAC's Role). */
@Group(Mesokube.GROUP)
@Version(Mesokube.VERSION)
@ShortNames({"mkrole", "rolepol"})
@Categories(Mesokube.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "a RolePolicy needs a spec")
@ValidationRule(value = "oldSelf.spec.role == self.spec.role", message = "spec.role is immutable")
@AdditionalPrinterColumn(name = "Role", jsonPath = ".spec.role")
@AdditionalPrinterColumn(
    name = "Weight",
    jsonPath = ".spec.weight",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Guarantee-CPUs",
    jsonPath = ".spec.quota.guarantee.cpus",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Limit-CPUs",
    jsonPath = ".spec.quota.limit.cpus",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Share",
    jsonPath = ".status.dominantShare",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Guarantee-Mem",
    jsonPath = ".spec.quota.guarantee.mem",
    type = AdditionalPrinterColumn.Type.NUMBER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Limit-Mem",
    jsonPath = ".spec.quota.limit.mem",
    type = AdditionalPrinterColumn.Type.NUMBER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RolePolicy extends CustomResource<RolePolicySpec, RolePolicyStatus> {}
