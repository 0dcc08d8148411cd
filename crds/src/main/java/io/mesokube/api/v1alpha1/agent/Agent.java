package io.mesokube.api.v1alpha1.agent;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.mesokube.api.Mesokube;

/** A Mesos agent: one per node, created by the agent pod, offering part of the node. */
@Group(Mesokube.GROUP)
@Version(Mesokube.VERSION)
@ShortNames("mkagent")
@Categories(Mesokube.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "an Agent needs a spec")
@ValidationRule(
    value = "size(self.metadata.name) <= 63",
    message =
        "an Agent name must be at most 63 characters: its Tasks and Offers carry it in the label"
            + " mesokube.io/agent")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "CPUs",
    jsonPath = ".spec.resources.cpus",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Mem",
    jsonPath = ".spec.resources.mem",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "GPUs",
    jsonPath = ".spec.resources.gpus",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Tasks",
    jsonPath = ".status.tasks",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Maintenance", jsonPath = ".spec.maintenance.mode")
@AdditionalPrinterColumn(
    name = "Alloc-CPUs",
    jsonPath = ".status.allocated.cpus",
    type = AdditionalPrinterColumn.Type.NUMBER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Alloc-Mem",
    jsonPath = ".status.allocated.mem",
    type = AdditionalPrinterColumn.Type.NUMBER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "cgroup",
    jsonPath = ".status.capabilities.cgroupVersion",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Agent extends CustomResource<AgentSpec, AgentStatus> {}
