package dev.athena.service;

/** The seed's three states of a job: a backup or a restore. */
public enum JobStatus {
    Running, Success, Failed;

    public boolean finished() {
        return this != Running;
    }
}
