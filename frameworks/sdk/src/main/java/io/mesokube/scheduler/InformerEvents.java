package io.mesokube.scheduler;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** An informer handler that sends adds and updates to one consumer and deletes to another. */
record InformerEvents<T>(Consumer<T> upserted, Consumer<T> deleted)
    implements ResourceEventHandler<T> {

  @Override
  public void onAdd(T obj) {
    upserted.accept(obj);
  }

  @Override
  public void onUpdate(T oldObj, T newObj) {
    upserted.accept(newObj);
  }

  @Override
  public void onDelete(T obj, boolean deletedFinalStateUnknown) {
    deleted.accept(obj);
  }
}
