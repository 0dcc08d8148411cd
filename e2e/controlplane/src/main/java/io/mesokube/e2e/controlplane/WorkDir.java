package io.mesokube.e2e.controlplane;

import java.nio.file.Path;

/** Where one control plane keeps its files: certificates, kubeconfigs, etcd data and logs. */
public record WorkDir(Path root) {

  /** Certificates and keys. */
  public Path pki() {
    return root.resolve("pki");
  }

  /** A PEM file under {@link #pki()}. */
  public Path pki(String fileName) {
    return pki().resolve(fileName);
  }

  /** etcd's data directory, kept across a stop and start of etcd. */
  public Path etcdData() {
    return root.resolve("etcd-data");
  }

  /** The admin kubeconfig (user {@code mesokube-admin}, group {@code system:masters}). */
  public Path adminKubeconfig() {
    return root.resolve("admin.kubeconfig");
  }

  /** The kubeconfig a component or an extra user connects with. */
  public Path kubeconfig(String name) {
    return root.resolve("kubeconfig").resolve(name + ".kubeconfig");
  }

  /** Logs, one file per component. */
  public Path logs() {
    return root.resolve("logs");
  }

  /** The log file of a component (stdout and stderr together). */
  public Path log(Component component) {
    return logs().resolve(component.binary() + ".log");
  }

  /** The pid files the reaper reads; one per running component. */
  public Path pids() {
    return root.resolve("pids");
  }

  /** The pid file of a running component. */
  public Path pidFile(Component component) {
    return pids().resolve(component.binary() + ".pid");
  }
}
