package io.mesokube.api.v1alpha1.task;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalSelectableField;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.mesokube.api.Mesokube;

/** A Mesos task: a command or container run by an agent for a framework. */
@Group(Mesokube.GROUP)
@Version(Mesokube.VERSION)
@ShortNames("mktask")
@Categories(Mesokube.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "a Task needs a spec")
// Transition rules sit on the root: TaskSpec is also used inside lists (offer launches), where
// an old value cannot be correlated.
@ValidationRule(
    value = "oldSelf.spec.framework == self.spec.framework",
    message = "spec.framework is immutable")
@ValidationRule(
    value =
        "!has(oldSelf.spec.agent) || (has(self.spec.agent) && self.spec.agent =="
            + " oldSelf.spec.agent && self.spec.resources == oldSelf.spec.resources)",
    message = "a bound task's agent and resources cannot change")
@ValidationRule(
    value =
        "!has(oldSelf.spec.kill) || !oldSelf.spec.kill || (has(self.spec.kill) &&"
            + " self.spec.kill)",
    message = "a kill cannot be undone")
// Agents watch only their tasks, as the kubelet watches pods by spec.nodeName.
@AdditionalSelectableField(jsonPath = ".spec.agent")
@AdditionalSelectableField(jsonPath = ".spec.framework")
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "Framework", jsonPath = ".spec.framework")
@AdditionalPrinterColumn(name = "Agent", jsonPath = ".spec.agent")
@AdditionalPrinterColumn(
    name = "CPUs",
    jsonPath = ".spec.resources.cpus",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Mem",
    jsonPath = ".spec.resources.mem",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Role", jsonPath = ".spec.role", priority = 1)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", priority = 1)
@AdditionalPrinterColumn(
    name = "Exit",
    jsonPath = ".status.exitCode",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Healthy",
    jsonPath = ".status.healthy",
    type = AdditionalPrinterColumn.Type.BOOLEAN,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Task extends CustomResource<TaskSpec, TaskStatus> implements Namespaced {}
