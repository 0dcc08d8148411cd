package io.mesokube.agent.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a checker told it, in order. */
class RecordingListener implements HealthCheckListener {
  /** One health change. */
  record Change(boolean healthy, String message) {}

  final List<Change> changes = new CopyOnWriteArrayList<>();
  final List<String> kills = new CopyOnWriteArrayList<>();

  @Override
  public void onHealthChanged(boolean healthy, String message) {
    changes.add(new Change(healthy, message));
  }

  @Override
  public void onUnhealthy(String message) {
    kills.add(message);
  }

  List<Boolean> healthChanges() {
    return changes.stream().map(Change::healthy).toList();
  }

  String lastMessage() {
    return changes.getLast().message();
  }
}
