package io.mesokube.api.v1alpha1.offer;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.mesokube.api.Mesokube;

/** An offer of one agent's resources to one framework; the framework answers in it once. */
@Group(Mesokube.GROUP)
@Version(Mesokube.VERSION)
@ShortNames("mkoffer")
@Categories(Mesokube.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "an Offer needs a spec")
@ValidationRule(
    value =
        "oldSelf.spec.framework == self.spec.framework && oldSelf.spec.agent =="
            + " self.spec.agent && oldSelf.spec.role == self.spec.role && oldSelf.spec.resources =="
            + " self.spec.resources && oldSelf.spec.epoch == self.spec.epoch",
    message = "an offer's framework, agent, role, resources and epoch are immutable")
@ValidationRule(
    value =
        "!has(oldSelf.spec.answer) || (has(self.spec.answer) && self.spec.answer =="
            + " oldSelf.spec.answer)",
    message = "an offer is answered once: the answer cannot be changed or withdrawn")
@AdditionalPrinterColumn(name = "Framework", jsonPath = ".spec.framework")
@AdditionalPrinterColumn(name = "Agent", jsonPath = ".spec.agent")
@AdditionalPrinterColumn(name = "Role", jsonPath = ".spec.role")
@AdditionalPrinterColumn(
    name = "CPUs",
    jsonPath = ".spec.resources.cpus",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Mem",
    jsonPath = ".spec.resources.mem",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Answer", jsonPath = ".spec.answer.type")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".spec.expiryTime", priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Offer extends CustomResource<OfferSpec, OfferStatus> implements Namespaced {}
