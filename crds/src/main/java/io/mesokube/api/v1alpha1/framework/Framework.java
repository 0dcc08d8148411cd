package io.mesokube.api.v1alpha1.framework;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.mesokube.api.Mesokube;

/** A registered Mesos scheduler: the owner of Offers and Tasks. */
@Group(Mesokube.GROUP)
@Version(Mesokube.VERSION)
@ShortNames({"fw", "mkfw"})
@Categories(Mesokube.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "a Framework needs a spec")
@ValidationRule(
    value = "size(self.metadata.name) <= 63",
    message =
        "a Framework name must be at most 63 characters: its Tasks and Offers carry it in the"
            + " label mesokube.io/framework")
@AdditionalPrinterColumn(name = "Scheduler", jsonPath = ".spec.scheduler")
@AdditionalPrinterColumn(name = "Roles", jsonPath = ".spec.roles")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Connected",
    jsonPath = ".status.connected",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Running",
    jsonPath = ".status.tasks.TASK_RUNNING",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Share",
    jsonPath = ".status.dominantShare",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Framework-ID", jsonPath = ".status.frameworkId", priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Framework extends CustomResource<FrameworkSpec, FrameworkStatus>
    implements Namespaced {}
