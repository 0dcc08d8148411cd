package io.mesokube.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Patterns;
import java.util.List;

/** The last known state of a task, in Mesos' terms, with a short history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(oldSelf.state) || !(oldSelf.state in ['TASK_FINISHED', 'TASK_FAILED',"
            + " 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE'])"
            + " || (has(self.state) && self.state == oldSelf.state)",
    messageExpression = "'task is already in terminal state ' + oldSelf.state")
public record TaskStatus(
    @JsonPropertyDescription("The spec generation this status describes.") Long observedGeneration,
    @JsonPropertyDescription(
            "Mesos task state. Absent on a bound task: TASK_STAGING, until its agent reports"
                + " (the operator leaves the first write to the agent).")
        TaskState state,
    @JsonPropertyDescription("Mesos reason for the state, e.g. REASON_CONTAINER_LIMITATION_MEMORY.")
        @Pattern(Patterns.REASON)
        @Size(max = 128)
        String reason,
    @JsonPropertyDescription("Human-readable detail of the state.") @Size(max = 4096)
        String message,
    @JsonPropertyDescription("Exit code of the task's process, when it exited.") Integer exitCode,
    @JsonPropertyDescription("Mesos task id (namespace/name).") String taskId,
    @JsonPropertyDescription("Result of the last health check, if the task has one.")
        Boolean healthy,
    @JsonPropertyDescription("Sandbox directory on the agent.") String sandbox,
    @JsonPropertyDescription("When the task started running (RFC 3339).") String startTime,
    @JsonPropertyDescription("When the task reached a terminal state (RFC 3339).")
        String finishTime,
    @JsonPropertyDescription("The most recent states, oldest first.") @Size(max = 32)
        List<TaskStatusEntry> history,
    @JsonPropertyDescription("Scheduled and Healthy conditions.") List<Condition> conditions) {}
