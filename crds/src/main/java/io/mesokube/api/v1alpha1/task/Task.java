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
// Bound, a task is its agent's to run as it was placed: what the allocator, quota and role checks
// saw. The schema compares what the API server's cost estimate allows (no command, image or health
// check: their strings and lists are too large to compare within the budget); the task-binding
// admission policy of the chart compares the rest.
@ValidationRule(
    value =
        "!has(oldSelf.spec.agent) || (has(self.spec.agent) && self.spec.agent == oldSelf.spec.agent"
            + " && has(self.spec.offer) == has(oldSelf.spec.offer)"
            + " && (!has(self.spec.offer) || self.spec.offer == oldSelf.spec.offer)"
            + " && has(self.spec.role) == has(oldSelf.spec.role)"
            + " && (!has(self.spec.role) || self.spec.role == oldSelf.spec.role)"
            + " && self.spec.resources == oldSelf.spec.resources"
            + " && (has(self.spec.command) && has(self.spec.command.user))"
            + " == (has(oldSelf.spec.command) && has(oldSelf.spec.command.user))"
            + " && (!has(self.spec.command) || !has(self.spec.command.user)"
            + " || self.spec.command.user == oldSelf.spec.command.user)"
            + " && has(self.spec.killPolicy) == has(oldSelf.spec.killPolicy)"
            + " && (!has(self.spec.killPolicy) || self.spec.killPolicy == oldSelf.spec.killPolicy))",
    message =
        "a bound task's agent, offer, role, resources, user and kill policy cannot change;"
            + " only spec.kill may")
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
